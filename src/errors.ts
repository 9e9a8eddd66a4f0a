// Errors that reach a user: each says where (file, row, column, key path) so the CLI can print one line
// and the API can answer 4xx with `{ error, where }`.

/** Where a problem was found; every part optional. Rows are 1-based data rows as a user counts them. */
export interface Where {
  file?: string;
  row?: number;
  column?: string;
  key?: string;
}

/** Bad input from the user: a file, a value, an option. CLI exit code 2. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    message: string,
    readonly where: Where = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Formats a `Where` as `file:row, column "x"` for one-line messages. */
export function formatWhere(where: Where): string {
  const parts: string[] = [];
  if (where.file) parts.push(where.row === undefined ? where.file : `${where.file}:${where.row}`);
  else if (where.row !== undefined) parts.push(`row ${where.row}`);
  if (where.column !== undefined) parts.push(`column "${where.column}"`);
  if (where.key !== undefined)
    parts.push(where.key.startsWith('--') ? `option ${where.key}` : `key ${where.key}`);
  return parts.join(', ');
}
