// Quoting for the few places where SQL text is built from names and paths (identifiers, file paths, and
// values that table functions take as literals).

/** `name` as a double-quoted identifier. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `text` as a single-quoted SQL string literal. */
export function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
