// CSV export of the at-risk list: every page of the current filter fetched with the cursor (200 rows a
// page), personal fields as the API returned them (masked by role), reasons in the chosen language.

import { apiRequest } from '../api/client';
import type { CustomerPage, CustomerRow } from '../api/types';
import type { Locale } from '../i18n/i18n';
import { type CustomerFilters, customersPath } from './customer-filters';

/** The most rows one export fetches (the list is sorted by risk, so these are the riskiest). */
export const EXPORT_LIMIT = 50_000;

/** Fetches every matching row (up to EXPORT_LIMIT), reporting the count as pages arrive. */
export async function fetchAllRows(
  filters: CustomerFilters,
  onProgress: (rows: number, total: number) => void,
): Promise<CustomerRow[]> {
  const rows: CustomerRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await apiRequest<CustomerPage>('GET', customersPath(filters, { limit: 200, cursor }));
    rows.push(...page.customers);
    onProgress(rows.length, page.total);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows.length < EXPORT_LIMIT);
  return rows.slice(0, EXPORT_LIMIT);
}

/** The rows as CSV (RFC 4180); `download` puts the byte-order mark in front. */
export function rowsToCsv(rows: CustomerRow[], locale: Locale, headers: readonly string[]): string {
  const lines = [headers.map(quote).join(',')];
  for (const row of rows) {
    const cells = [
      row.id,
      row.name ?? '',
      row.phone ?? '',
      row.email ?? '',
      row.segment ?? '',
      row.region ?? '',
      row.plan ?? '',
      row.probability.toFixed(4),
      row.tier,
      row.reasons[locale],
      row.drivers.join(' '),
      String(row.value),
      row.scoredAt,
      String(row.modelVersion),
    ];
    lines.push(cells.map(quote).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The columns of the CSV, in order (label keys). */
export const CSV_COLUMNS = [
  'column.id',
  'column.name',
  'column.phone',
  'column.email',
  'column.segment',
  'column.region',
  'column.plan',
  'column.probability',
  'column.tier',
  'column.reasons',
  'column.drivers',
  'column.value',
  'column.scoredAt',
  'column.modelVersion',
] as const;

/** The export's file name, with today's date: churnwatch-at-risk-2026-11-23.csv. */
export function exportFileName(today: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `churnwatch-at-risk-${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}.csv`;
}

/** Hands `text` to the browser as a download named `fileName`. */
export function download(text: string, fileName: string): void {
  // The UTF-8 byte-order mark, as bytes (a string's BOM may be dropped): Excel then reads Chinese text right.
  const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
  const url = URL.createObjectURL(new Blob([bom, text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function quote(cell: string): string {
  // A leading =, +, - or @ would run as a formula in a spreadsheet: neutralised with a quote mark.
  const safe = /^[=+\-@]/.test(cell) && !/^-?\d/.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
