/**
 * Shared shape of every registry lookup. A lookup never throws: values that no
 * table knows come back as `unknown (0x1234)` with `known: false`, so a value
 * IANA assigned after this table was written still decodes.
 */
export interface RegistryEntry {
  readonly value: number;
  readonly name: string;
  /** The value is in our table (IANA or a widely deployed private value). */
  readonly known: boolean;
  /** The value is assigned in the IANA registry (false for GREASE, private and unknown values). */
  readonly iana: boolean;
  /** RFC 8701 GREASE value. */
  readonly grease: boolean;
}

export function hexOf(value: number, digits: number): string {
  return '0x' + (value >>> 0).toString(16).padStart(digits, '0');
}

export function unknownName(value: number, digits: number): string {
  return `unknown (${hexOf(value, digits)})`;
}

/**
 * Builds a lookup over a table of IANA names, an optional table of known
 * non-IANA names, and an optional GREASE predicate.
 */
export function createLookup(
  iana: ReadonlyMap<number, string>,
  digits: number,
  options: { readonly privateNames?: ReadonlyMap<number, string>; readonly isGrease?: (value: number) => boolean } = {},
): (value: number) => RegistryEntry {
  return memoizeLookup((value: number): RegistryEntry => {
    const name = iana.get(value);
    if (name !== undefined) return { value, name, known: true, iana: true, grease: false };
    if (options.isGrease?.(value)) return { value, name: `GREASE (${hexOf(value, digits)})`, known: true, iana: false, grease: true };
    const other = options.privateNames?.get(value);
    if (other !== undefined) return { value, name: other, known: true, iana: false, grease: false };
    return { value, name: unknownName(value, digits), known: false, iana: false, grease: false };
  });
}

/** Distinct values whose entries one memoized lookup keeps (the rest are computed on each call). */
export const MAX_MEMOIZED_ENTRIES = 2048;

/**
 * A lookup that computes each value's entry once: the decoders look up every listed value
 * of every hello, and an entry (with its name, built for unknown and GREASE values) per
 * call was a large share of what decoding allocates. Entries are frozen and shared; a
 * lookup keeps at most MAX_MEMOIZED_ENTRIES of them (values are untrusted input), and -0
 * is never taken for 0.
 */
export function memoizeLookup<E extends RegistryEntry>(compute: (value: number) => E): (value: number) => E {
  const entries = new Map<number, E>();
  return (value: number): E => {
    if (value === 0 && 1 / value < 0) return Object.freeze(compute(value));
    let entry = entries.get(value);
    if (entry === undefined) {
      entry = Object.freeze(compute(value));
      if (entries.size < MAX_MEMOIZED_ENTRIES) entries.set(value, entry);
    }
    return entry;
  };
}

export function tableOf(rows: readonly (readonly [number, string])[]): ReadonlyMap<number, string> {
  return new Map(rows);
}
