// The bad rows planted in the demo files, as real exports have them: double-submitted events, clock errors
// years ahead, timestamps Excel reformatted, refunds written as negative purchases, events of deleted
// customers, and test accounts. Each kind is named as the ingest's quarantine reason for it.

import type { Random } from '../ml/random.js';

export const BAD_ROW_KINDS = [
  'duplicate',
  'future_timestamp',
  'bad_timestamp',
  'negative_amount',
  'unknown_customer',
  'test_account',
] as const;
export type BadRowKind = (typeof BAD_ROW_KINDS)[number];

/** Chance, per good row written, that a bad row of a kind follows it. About 0.2% of all rows are bad. */
export const BAD_ROW_RATES = {
  events: { duplicate: 0.001, future_timestamp: 0.0002, bad_timestamp: 0.0002, unknown_customer: 0.0001 },
  transactions: { duplicate: 0.0008, negative_amount: 0.001, bad_timestamp: 0.0003 },
  tickets: { duplicate: 0.002 },
} as const satisfies Record<string, Partial<Record<BadRowKind, number>>>;

/** Test accounts per real customer (at least two in any data set). */
export const TEST_ACCOUNT_RATE = 0.001;

/** How many test accounts `customers` real customers come with. */
export function testAccountCount(customers: number): number {
  return Math.max(2, Math.round(customers * TEST_ACCOUNT_RATE));
}

/** Id of test account k: `test_0001`, `demo_0002`, … (the demo config's pattern is `^(test|demo)_`). */
export function testAccountId(k: number): string {
  return `${k % 2 === 0 ? 'test' : 'demo'}_${String(k + 1).padStart(4, '0')}`;
}

/**
 * Picks the kind of bad row to plant after a good row, or undefined (most of the time), from one uniform
 * draw and the rates of the file.
 */
export function plantAfter<K extends BadRowKind>(
  random: Random,
  rates: Readonly<Partial<Record<K, number>>>,
): K | undefined {
  let u = random.next();
  for (const kind in rates) {
    u -= rates[kind]!;
    if (u < 0) return kind;
  }
  return undefined;
}

/** A timestamp 20–49 years after `timestamp` (a clock error), same day and time (29 February → 28). */
export function futureTimestamp(timestamp: string, random: Random): string {
  const year = Number(timestamp.slice(0, 4)) + 20 + random.nextInt(30);
  const rest = timestamp.slice(4).replace(/^-02-29/, '-02-28');
  return `${year}${rest}`;
}

/** `timestamp` (`YYYY-MM-DD HH:MM:SS`) spoilt the way spreadsheets and hand edits spoil them. */
export function unparseableTimestamp(timestamp: string, random: Random): string {
  const [date = '', time = ''] = timestamp.split(' ');
  const [y, m, d] = date.split('-');
  switch (random.nextInt(3)) {
    case 0:
      return `${d}/${m}/${y} ${time.slice(0, 5)}`; // Excel's local format
    case 1:
      return `${y}-13-${d} ${time}`; // month 13
    default:
      return '#VALUE!';
  }
}
