// What the reader made of a table — type, missing and distinct counts, problems per column — as plain JSON
// for `--json` and the API, and as a fixed-width text table for the terminal.

import { type ColumnInference, type ColumnType, looksLikeIdName } from './infer-types.js';
import type { Table } from './table.js';

/** How a column is used by `train`. */
export type ColumnRole = 'feature' | 'label' | 'dropped' | 'unused';

/** One column of the report. */
export interface ColumnReport {
  name: string;
  role: ColumnRole;
  type: ColumnType;
  missing: number;
  distinct: number;
  /** Most frequent values. */
  examples: string[];
  problems: string[];
}

/** The report on one table; JSON-serialisable. */
export interface DataReport {
  file: string;
  encoding: string;
  delimiter: string;
  rows: number;
  /** The column that identifies customers: unique in every row, preferably named like an id; null if none. */
  idColumn: string | null;
  columns: ColumnReport[];
  warnings: string[];
}

/** Which column is the label and which are dropped, to mark their roles. */
export interface DataReportOptions {
  label?: string;
  drop?: readonly string[];
}

/** Builds the report from a table and its inferred column types. */
export function buildDataReport(
  table: Table,
  inferred: readonly ColumnInference[],
  options: DataReportOptions = {},
): DataReport {
  const drop = new Set(options.drop ?? []);
  const columns = inferred.map((c): ColumnReport => {
    const role: ColumnRole =
      c.name === options.label
        ? 'label'
        : drop.has(c.name)
          ? 'dropped'
          : c.allMissing || c.constant
            ? 'unused'
            : 'feature';
    return {
      name: c.name,
      role,
      type: c.type,
      missing: c.missing,
      distinct: c.distinct,
      examples: c.top.map((t) => t.value),
      problems: columnProblems(c, role),
    };
  });
  const warnings = [...table.warnings];
  const dates = inferred.filter((c) => c.type === 'date' && !drop.has(c.name)).map((c) => c.name);
  if (dates.length > 0) {
    warnings.push(
      `${columnsText(dates)} read as dates (days since 1970-01-01); the reference (pandas) reads dates as text`,
    );
  }
  const blanks = inferred.filter((c) => c.blankCells > 0 && c.type !== 'categorical').map((c) => c.name);
  if (blanks.length > 0) {
    warnings.push(
      `${columnsText(blanks)} ${blanks.length === 1 ? 'has' : 'have'} cells holding only spaces, read as missing; ` +
        'the reference (pandas) reads such a column as text',
    );
  }
  return {
    file: table.file,
    encoding: table.encoding,
    delimiter: table.delimiter,
    rows: table.nRows,
    idColumn: findIdColumn(inferred),
    columns,
    warnings,
  };
}

function findIdColumn(inferred: readonly ColumnInference[]): string | null {
  const unique = inferred.filter((c) => c.idLike && c.missing === 0 && c.distinct === c.rows);
  return (unique.find((c) => looksLikeIdName(c.name)) ?? unique[0])?.name ?? null;
}

function columnProblems(c: ColumnInference, role: ColumnRole): string[] {
  const problems: string[] = [];
  if (c.allMissing) problems.push('empty in every row; not used');
  if (c.constant) problems.push(`the same value ${quote(c.top[0]?.value ?? '')} in every row; not used`);
  if (c.idLike && role !== 'dropped') {
    problems.push(
      `looks like an identifier (${c.distinct} distinct values in ${c.rows} rows); drop it if it is one`,
    );
  }
  if (c.highCardinality) problems.push(`${c.distinct} distinct values: many categories`);
  if (c.unparsed.count > 0) {
    const one = c.unparsed.count === 1;
    const what = c.type === 'date' ? (one ? 'a date' : 'dates') : one ? 'a number' : 'numbers';
    problems.push(
      `${c.unparsed.count} cell${one ? ' is' : 's are'} not ${what} (${c.unparsed.examples.map(quote).join(', ')}) ` +
        `on line${c.unparsed.lines.length === 1 ? '' : 's'} ${linesText(c.unparsed.lines, c.unparsed.count)}; ` +
        'read as missing',
    );
  }
  if (c.blankCells > 0) {
    problems.push(
      `${c.blankCells} cell${c.blankCells === 1 ? ' holds' : 's hold'} only spaces (line${c.blankLines.length === 1 ? '' : 's'} ` +
        `${linesText(c.blankLines, c.blankCells)}); read as missing`,
    );
  }
  return problems;
}

function linesText(lines: number[], total: number): string {
  return lines.join(', ') + (total > lines.length ? ', ...' : '');
}

function quote(text: string): string {
  return JSON.stringify(text);
}

function columnsText(names: string[]): string {
  return `column${names.length === 1 ? '' : 's'} ${names.map((n) => `"${n}"`).join(', ')}`;
}

const COLUMN_WIDTH = { name: 24, type: 11, role: 8, count: 9, examples: 44 };

/** Formats the report as a fixed-width table followed by the problems and warnings, for a terminal. */
export function formatDataReport(report: DataReport): string {
  const w = COLUMN_WIDTH;
  const lines = [
    `${report.file}: ${report.rows} rows, ${report.columns.length} columns (${report.encoding}, ` +
      `separator ${report.delimiter === '\t' ? 'tab' : `"${report.delimiter}"`})`,
    '',
    [
      pad('column', w.name),
      pad('type', w.type),
      pad('role', w.role),
      padStart('missing', w.count),
      padStart('distinct', w.count),
      ' examples',
    ].join(' '),
  ];
  for (const c of report.columns) {
    lines.push(
      [
        pad(c.name, w.name),
        pad(c.type, w.type),
        pad(c.role, w.role),
        padStart(String(c.missing), w.count),
        padStart(String(c.distinct), w.count),
        ` ${truncateToWidth(c.examples.join(', '), w.examples)}`,
      ]
        .join(' ')
        .trimEnd(),
    );
  }
  const problems = report.columns.flatMap((c) => c.problems.map((p) => `  ${c.name}: ${p}`));
  if (problems.length > 0) lines.push('', 'Problems:', ...problems);
  if (report.warnings.length > 0) lines.push('', 'Warnings:', ...report.warnings.map((w) => `  ${w}`));
  return `${lines.join('\n')}\n`;
}

/** Terminal columns a string takes: East Asian wide characters (CJK, Hangul, full-width forms) take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
  return width;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Cuts `text` to at most `width` terminal columns, ending with "…" when cut. */
function truncateToWidth(text: string, width: number): string {
  const oneLine = text.replace(/[\r\n\t]+/g, ' ');
  if (displayWidth(oneLine) <= width) return oneLine;
  let out = '';
  let used = 0;
  for (const ch of oneLine) {
    const cw = isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
    if (used + cw > width - 1) break;
    out += ch;
    used += cw;
  }
  return `${out}…`;
}

function pad(text: string, width: number): string {
  const cut = truncateToWidth(text, width);
  return cut + ' '.repeat(Math.max(0, width - displayWidth(cut)));
}

function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text;
}
