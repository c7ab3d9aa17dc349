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
  return (value: number): RegistryEntry => {
    const name = iana.get(value);
    if (name !== undefined) return { value, name, known: true, iana: true, grease: false };
    if (options.isGrease?.(value)) return { value, name: `GREASE (${hexOf(value, digits)})`, known: true, iana: false, grease: true };
    const other = options.privateNames?.get(value);
    if (other !== undefined) return { value, name: other, known: true, iana: false, grease: false };
    return { value, name: unknownName(value, digits), known: false, iana: false, grease: false };
  };
}

export function tableOf(rows: readonly (readonly [number, string])[]): ReadonlyMap<number, string> {
  return new Map(rows);
}
