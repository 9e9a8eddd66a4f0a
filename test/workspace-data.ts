// A small hand-made workspace data set for the end-to-end tests of init, ingest and analyze inactivity:
// the four CSV files, the bad rows planted in each with the reason ingest must give them, and the counts.
//
// Activity (transactions) is shaped so the return curve is known exactly. Weekly purchases from 2025-01-06:
//   c001–c040  churners: 4–8 purchases, then nothing; open gap ≥ 119 days at the data end (2025-06-30)
//   c041–c050  returners: every week to 2025-06-30 but skip two weeks once (one closed gap of 21 days)
// so for gap k: k ≤ 7 → 50 inactive, 50 back; 8 ≤ k ≤ 21 → 50 inactive, 10 back (20%);
// k ≥ 22 → 40 inactive, 0 back: the suggested horizon (first k under 10% with ≥ 30 customers) is 22.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A source file: its header, good rows, and bad rows with the reason each must be quarantined for. */
export interface SourceFile {
  name: string;
  header: string;
  good: string[];
  bad: { row: string; reason: string }[];
}

const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 6, 9, 0, 0); // Monday 2025-01-06 09:00 UTC
const WEEKS = 26; // 2025-01-06 … 2025-06-30

/** `YYYY-MM-DD HH:MM:SS` of START + days. */
export function day(days: number): string {
  return new Date(START + days * DAY).toISOString().slice(0, 19).replace('T', ' ');
}

export const customerId = (i: number): string => `c${String(i).padStart(3, '0')}`;
export const CHURNERS = 40;
export const RETURNERS = 10;
export const CUSTOMERS = CHURNERS + RETURNERS;
export const SUGGESTED_HORIZON = 22;
export const RETURN_GAP = 21;

function customers(): SourceFile {
  const good: string[] = [];
  for (let i = 1; i <= CUSTOMERS; i++) {
    good.push(`${customerId(i)},${day(-30 + (i % 10))},${i % 2 ? 'smb' : 'enterprise'},north,basic`);
  }
  return {
    name: 'customers.csv',
    // Headers differ from our field names on purpose: the config maps them.
    header: 'id,joined,segment,region,plan',
    good,
    bad: [
      { row: `test_01,${day(-20)},smb,north,basic`, reason: 'test_account' },
      { row: 'c051,yesterday,smb,north,basic', reason: 'bad_timestamp' },
      { row: 'c052,2099-01-01 00:00:00,smb,north,basic', reason: 'future_timestamp' },
      { row: good[9]!, reason: 'duplicate' },
    ],
  };
}

function events(): SourceFile {
  const good: string[] = [];
  for (let i = 1; i <= CUSTOMERS; i++) {
    good.push(`${customerId(i)},${day(i % 7)},login`, `${customerId(i)},${day(7 + (i % 7))},visit`);
  }
  return {
    name: 'events.csv',
    header: 'customer_id,ts,event_type',
    good,
    bad: [
      { row: `c999,${day(3)},login`, reason: 'unknown_customer' },
      { row: `test_01,${day(3)},login`, reason: 'test_account' },
      { row: 'c005,soon,login', reason: 'bad_timestamp' },
      { row: 'c006,2099-03-01 10:00:00,visit', reason: 'future_timestamp' },
      { row: good[12]!, reason: 'duplicate' },
    ],
  };
}

function transactions(): SourceFile {
  const good: string[] = [];
  for (let i = 1; i <= CHURNERS; i++) {
    for (let w = 0; w < 4 + (i % 5); w++) good.push(`${customerId(i)},${day(7 * w)},${10 + (i % 3)}.50`);
  }
  for (let i = CHURNERS + 1; i <= CUSTOMERS; i++) {
    const skipFrom = 3 + (i % 10); // skip weeks skipFrom and skipFrom + 1: one 21-day gap
    for (let w = 0; w < WEEKS; w++) {
      if (w !== skipFrom && w !== skipFrom + 1) good.push(`${customerId(i)},${day(7 * w)},25.00`);
    }
  }
  return {
    name: 'transactions.csv',
    header: 'customer_id,ts,amount',
    good,
    bad: [
      { row: `c001,${day(1)},-5.00`, reason: 'negative_amount' },
      { row: 'c002,2025-13-45 10:00:00,9.99', reason: 'bad_timestamp' },
      { row: `c003,${day(2)},abc`, reason: 'bad_value' },
      { row: 'c004,2099-05-01 10:00:00,9.99', reason: 'future_timestamp' },
      { row: `c999,${day(2)},9.99`, reason: 'unknown_customer' },
      // c051's customer row is quarantined (bad signup), so it is not a known customer.
      { row: `c051,${day(2)},9.99`, reason: 'unknown_customer' },
      { row: `test_01,${day(2)},9.99`, reason: 'test_account' },
      { row: good[4]!, reason: 'duplicate' },
    ],
  };
}

function tickets(): SourceFile {
  const good: string[] = [];
  for (let i = 1; i <= 20; i++) {
    good.push(`${customerId(i)},${day(10 + i)},${day(11 + i)},billing,${1 + (i % 5)}`);
  }
  return {
    name: 'tickets.csv',
    header: 'customer_id,opened_at,resolved_at,category,satisfaction',
    good,
    bad: [
      { row: 'c001,n/a,,billing,3', reason: 'bad_timestamp' },
      { row: `c998,${day(12)},,billing,3`, reason: 'unknown_customer' },
      { row: good[0]!, reason: 'duplicate' },
    ],
  };
}

/** The four sources, keyed by the name ingest reports them under. */
export function dataSet(): Record<'customers' | 'events' | 'transactions' | 'tickets', SourceFile> {
  return { customers: customers(), events: events(), transactions: transactions(), tickets: tickets() };
}

/** The file's text: header, good rows, then the bad rows (so bad row j is on line good + 2 + j). */
export function fileText(source: SourceFile, extraRows: string[] = []): string {
  return `${[source.header, ...source.good, ...source.bad.map((b) => b.row), ...extraRows].join('\n')}\n`;
}

/** Bad rows counted per reason, as the load report gives them. */
export function reasonCounts(source: SourceFile): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { reason } of source.bad) counts[reason] = (counts[reason] ?? 0) + 1;
  return counts;
}

/** Data rows in a CSV text (lines after the header that are not blank). */
export function dataRows(text: string): number {
  return text
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '').length;
}

/** The configuration the tests ingest with: all four sources, a column mapping and a test-account rule. */
export const WORKSPACE_CONFIG = `version: 1
sources:
  customers:
    path: data/customers.csv
    columns: { customer_id: id, signup_at: joined }
  events: { path: data/events.csv }
  transactions: { path: data/transactions.csv, format: csv }
  tickets: { path: data/tickets.csv }
churn:
  kind: non_contractual
  horizon_days: 30
  activity: [{ source: transactions }]
test_accounts:
  id_pattern: '^test_'
`;

/** Writes the data set into WORKSPACE/data/ and the config into WORKSPACE/churnwatch.yaml. */
export function writeWorkspace(workspace: string, config = WORKSPACE_CONFIG): void {
  writeFileSync(join(workspace, 'churnwatch.yaml'), config);
  writeData(workspace);
}

/** Writes only the four CSV files into WORKSPACE/data/. */
export function writeData(workspace: string): void {
  mkdirSync(join(workspace, 'data'), { recursive: true });
  for (const source of Object.values(dataSet())) {
    writeFileSync(join(workspace, 'data', source.name), fileText(source));
  }
}
