// A fixed-width table for benchmark output: first columns left-aligned (names), the rest right-aligned (numbers).

/** Renders `rows` under `header`; the first `leftColumns` columns are left-aligned. */
export function fixedTable(header: string[], rows: string[][], leftColumns = 1): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((row) => (row[j] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, j) => (j < leftColumns ? cell.padEnd(widths[j]) : cell.padStart(widths[j])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}

/** A number with fixed decimals, or "—" when absent. */
export function fixed(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** A difference with its sign always shown. */
export function signed(value: number | null | undefined, digits: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(digits)}`;
}

/** A count with thousands separators. */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}
