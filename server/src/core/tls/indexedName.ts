/**
 * The name of item `index` of a list field ("cipher_suites[3]"), one string per list and index
 * for the first 1,024 items: the hellos of a log repeat the same lists, so their thousands of
 * field nodes share a few hundred names instead of each keeping its own, and comparing a name
 * with a prefix reads a string V8 has already flattened.
 * `list` is always one of the decoder's own field names, so the table stays small.
 */
const SHARED_ITEMS = 1024;
const names = new Map<string, string[]>();

export function indexedName(list: string, index: number): string {
  if (!(index >= 0 && index < SHARED_ITEMS && Number.isInteger(index))) return `${list}[${index}]`;
  let row = names.get(list);
  if (!row) names.set(list, (row = []));
  return (row[index] ??= `${list}[${index}]`);
}
