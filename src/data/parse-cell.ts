// How one cell's text reads as a number, a boolean or a date — the rules pandas.read_csv applies by default,
// so that our columns get the same types as the reference's (see bench/ref_gbdt.py, load_csv).

/** Texts pandas reads as missing by default (its `na_values`), besides the empty cell. */
export const NA_TOKENS: ReadonlySet<string> = new Set([
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
]);

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INFINITE = /^([+-]?)inf(inity)?$/i;
const DATE = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?Z?)?$/;
const MS_PER_DAY = 86_400_000;

/** True when pandas would read the text as missing (NA tokens, compared after trimming like its parser). */
export function isNaToken(text: string): boolean {
  return NA_TOKENS.has(text) || NA_TOKENS.has(text.trim());
}

/** Reads a decimal number (surrounding spaces allowed, no thousands separators); NaN when it is not one. */
export function parseNumber(text: string): number {
  const t = text.trim();
  if (DECIMAL.test(t)) return Number(t);
  const inf = INFINITE.exec(t);
  if (inf) return inf[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return Number.NaN;
}

/** Reads `True`/`False` the way pandas does (`True` `TRUE` `true` and the same for false); undefined otherwise. */
export function parseBoolean(text: string): boolean | undefined {
  const t = text.trim();
  if (t === 'True' || t === 'TRUE' || t === 'true') return true;
  if (t === 'False' || t === 'FALSE' || t === 'false') return false;
  return undefined;
}

/**
 * Reads an ISO-like date (`2024-01-31`, `2024/01/31`, optionally ` 10:00[:00[.000]]` or `T10:00:00Z`, taken
 * as UTC) as days since 1970-01-01, fractional with a time of day; NaN when it is not a real calendar date.
 */
export function parseDate(text: string): number {
  const m = DATE.exec(text.trim());
  if (!m) return Number.NaN;
  const [year, month, day] = [Number(m[1]), Number(m[3]), Number(m[4])];
  const [hour, minute, second] = [Number(m[5] ?? 0), Number(m[6] ?? 0), Number(m[7] ?? 0)];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) + Number(m[8] ?? 0) * 1000;
  if (new Date(ms).getUTCDate() !== day) return Number.NaN; // 2023-02-30 and the like
  return ms / MS_PER_DAY;
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * Fast path of `parseNumber` for the commonest cells: reads a plain decimal that is exactly how JavaScript
 * writes its value (`String(x) === text`: optional "-", no superfluous zeros, at most 15 significant digits,
 * no exponent, |x| >= 1e-6); NaN for every other text, which the caller then reads the slow way.
 * The value is m / 10^k with both exact doubles (m < 10^15, k <= 16), so the one division rounds correctly
 * and equals `Number(text)` (Clinger's fast path, "How to read floating point numbers accurately", 1990).
 */
export function parseShortestNumber(text: string): number {
  const n = text.length;
  if (n === 0 || n > 17) return Number.NaN;
  let i = 0;
  const negative = text.charCodeAt(0) === 45; // '-'
  if (negative) i = 1;
  if (i === n) return Number.NaN;
  let m = 0;
  let c = text.charCodeAt(i);
  if (c === 48) {
    // "0" alone, or "0." followed by the fraction
    i++;
    if (i === n) return negative ? Number.NaN : 0;
    if (text.charCodeAt(i) !== 46) return Number.NaN;
  } else {
    const start = i;
    while (i < n) {
      c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      m = m * 10 + (c - 48);
      i++;
    }
    if (i === start || m >= 1e15) return Number.NaN;
    if (i === n) return negative ? -m : m;
    if (c !== 46) return Number.NaN;
  }
  i++; // the '.'
  const fractionStart = i;
  if (i === n || text.charCodeAt(n - 1) === 48) return Number.NaN; // "5." or a trailing zero ("1.50")
  while (i < n) {
    c = text.charCodeAt(i);
    if (c < 48 || c > 57) return Number.NaN;
    m = m * 10 + (c - 48);
    i++;
  }
  if (m >= 1e15) return Number.NaN;
  const x = m / POW10[n - fractionStart];
  if (x < 1e-6) return Number.NaN; // String() writes these with an exponent
  return negative ? -x : x;
}
