// Fixed-width text tables for the terminal.

/** Renders rows under a header with columns padded to their widest cell; numbers right-aligned. */
export function textTable(header: string[], rows: (string | number)[][]): string {
  const cells = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)));
  const widths = header.map((h, j) =>
    Math.max(displayWidth(h), ...cells.map((row) => displayWidth(row[j] ?? ''))),
  );
  const numeric = header.map((_, j) => rows.length > 0 && rows.every((row) => typeof row[j] === 'number'));
  const line = (row: string[]) =>
    row
      .map((cell, j) => (numeric[j] ? pad(cell, widths[j], 'start') : pad(cell, widths[j], 'end')))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...cells.map(line)].join('\n');
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toFixed(4);
}

/** Terminal columns of a string: CJK characters take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text)
    width +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        ch,
      )
        ? 2
        : 1;
  return width;
}

function pad(text: string, width: number, side: 'start' | 'end'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return side === 'start' ? fill + text : text + fill;
}
