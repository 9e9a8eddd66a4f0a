// Activity rows as one derived table `(customer_id, ts)`: the union of the sources a definition names.

import { normalizeCutoff } from '../features/cutoff.js';
import type { DefaultSqlCompiler } from '../warehouse/sql-dialect.js';
import type { ActivitySpec } from './churn-definition.js';

/** `SELECT customer_id, ts FROM … UNION ALL …`, each part restricted to `timeFilter(ts)` when given. */
export function activitySql(
  s: DefaultSqlCompiler,
  specs: readonly ActivitySpec[],
  timeFilter?: (time: string) => string,
): string {
  const id = s.identifier('customer_id');
  const ts = s.identifier('ts');
  return specs
    .map((spec) => {
      const conditions: string[] = [];
      if (spec.eventTypes) {
        conditions.push(
          `${s.identifier('event_type')} IN (${spec.eventTypes.map((t) => s.string(t)).join(', ')})`,
        );
      }
      if (timeFilter) conditions.push(timeFilter(ts));
      const where = conditions.length > 0 ? ` WHERE ${s.and(conditions)}` : '';
      return `SELECT ${id}, ${ts} FROM ${s.identifier(spec.source)}${where}`;
    })
    .join('\n  UNION ALL\n  ');
}

/** "transactions + events(login, visit)": how a curve or a label table says what activity it used. */
export function describeActivity(specs: readonly ActivitySpec[]): string {
  return specs
    .map((spec) => (spec.eventTypes ? `${spec.source}(${spec.eventTypes.join(', ')})` : spec.source))
    .join(' + ');
}

/**
 * `SELECT … AS data_end`: the given time, or the latest timestamp in events, transactions, tickets
 * (opened_at) and cancellations — where the data ends, as far as the warehouse knows.
 */
export function dataEndSql(s: DefaultSqlCompiler, dataEnd?: string): string {
  if (dataEnd) return `SELECT ${s.timestamp(normalizeCutoff(dataEnd))} AS data_end`;
  const parts = [
    ['events', 'ts'],
    ['transactions', 'ts'],
    ['tickets', 'opened_at'],
    ['cancellations', 'cancelled_at'],
  ].map(([table, time]) => `SELECT max(${s.identifier(time!)}) AS t FROM ${s.identifier(table!)}`);
  return `SELECT max(t) AS data_end FROM (\n    ${parts.join('\n    UNION ALL ')}\n  ) AS ends`;
}
