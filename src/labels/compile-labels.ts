// Churn labels at a cutoff T as ONE query, written through the same dialect compilers as the features:
// per customer active at T (signed up before T, not cancelled before T), churned 1/0 — or NULL while the
// horizon [T, T + H) has not fully passed, i.e. when the data ends before T + H.

import { normalizeCutoff } from '../features/cutoff.js';
import { type Dialect, duckdbDialect } from '../warehouse/sql-dialect.js';
import { activitySql, dataEndSql } from './activity-sql.js';
import { type ChurnDefinition, validateChurnDefinition } from './churn-definition.js';

export interface CompileLabelOptions {
  /** Default DuckDB. */
  dialect?: Dialect;
  /**
   * Where the data ends (`YYYY-MM-DD[ HH:MM:SS]`). Default: the latest timestamp in events, transactions,
   * tickets (opened_at) and cancellations. Labels are NULL when dataEnd < T + H.
   */
  dataEnd?: string;
}

/** The SQL of the label table: customer_id, churned (INTEGER 0/1/NULL), churn_type, ordered by customer_id. */
export function compileLabelQuery(
  definition: ChurnDefinition,
  cutoff: string,
  options: CompileLabelOptions = {},
): string {
  validateChurnDefinition(definition);
  const s = (options.dialect ?? duckdbDialect).createCompiler();
  const T = s.timestamp(normalizeCutoff(cutoff));
  const H = definition.horizonDays;
  const horizonEnd = s.plusDays(T, H);
  const id = s.identifier('customer_id');
  const col = (alias: string, name: string) => s.column(alias, name);
  const inHorizon = (time: string) => `${time} >= ${T} AND ${time} < ${horizonEnd}`;

  const dataEnd = dataEndSql(s, options.dataEnd);
  const cancelled = s.identifier('cancelled_at');
  const ctes = [
    `data_end AS (\n  ${dataEnd}\n)`,
    `population AS (\n  SELECT ${col('c', 'customer_id')} FROM ${s.identifier('customers')} AS c\n` +
      `  WHERE ${col('c', 'signup_at')} < ${T}\n` +
      `    AND NOT EXISTS (SELECT 1 FROM ${s.identifier('cancellations')} AS x ` +
      `WHERE ${col('x', 'customer_id')} = ${col('c', 'customer_id')} AND ${col('x', 'cancelled_at')} < ${T})\n)`,
  ];
  const conditions: string[] = [];
  let churned: string;
  let churnType = 'NULL';
  const lookback = Math.max(
    definition.activeWithinDays ?? 0,
    definition.kind === 'partial' ? (definition.baselineDays ?? H) : 0,
  );
  const activeWithin = definition.activeWithinDays;
  const needsActivity = definition.kind !== 'contractual' || activeWithin !== undefined;
  if (needsActivity) {
    const specs = definition.activity ?? [{ source: 'transactions' as const }];
    const ts = s.identifier('ts');
    const measures = [`${s.aggregate('count', '*', inHorizon(ts))} AS horizon_activity`];
    if (activeWithin !== undefined) {
      measures.push(
        `${s.aggregate('count', '*', `${ts} >= ${s.minusDays(T, activeWithin)} AND ${ts} < ${T}`)} AS recent_activity`,
      );
      conditions.push('coalesce(m.recent_activity, 0) > 0');
    }
    if (definition.kind === 'partial') {
      const B = definition.baselineDays ?? H;
      measures.push(
        `${s.aggregate('count', '*', `${ts} >= ${s.minusDays(T, B)} AND ${ts} < ${T}`)} AS baseline_activity`,
      );
    }
    const earliest = lookback > 0 ? s.minusDays(T, lookback) : T;
    ctes.push(
      `activity AS (\n  ${activitySql(s, specs, (time) => `${time} >= ${earliest} AND ${time} < ${horizonEnd}`)}\n)`,
      `measures AS (\n  SELECT ${id},\n    ${measures.join(',\n    ')}\n  FROM activity\n  GROUP BY ${id}\n)`,
    );
  }
  switch (definition.kind) {
    case 'contractual':
      ctes.push(
        `first_cancellation AS (\n  SELECT ${id}, ${s.identifier('voluntary')},\n` +
          `    row_number() OVER (PARTITION BY ${id} ORDER BY ${cancelled}) AS n\n` +
          `  FROM ${s.identifier('cancellations')}\n  WHERE ${inHorizon(cancelled)}\n)`,
      );
      churned = `CASE WHEN ${col('f', 'customer_id')} IS NULL THEN 0 ELSE 1 END`;
      churnType =
        `CASE WHEN ${col('f', 'voluntary')} THEN ${s.string('voluntary')} ` +
        `WHEN NOT ${col('f', 'voluntary')} THEN ${s.string('involuntary')} END`;
      break;
    case 'nonContractual':
      churned = 'CASE WHEN coalesce(m.horizon_activity, 0) = 0 THEN 1 ELSE 0 END';
      break;
    case 'partial': {
      const B = definition.baselineDays ?? H;
      // horizon < threshold × baseline × H / B, multiplied out so that no division rounds.
      churned =
        `CASE WHEN ${s.castDouble('coalesce(m.horizon_activity, 0)')} * ${s.number(B)} < ` +
        `${s.number(definition.threshold)} * m.baseline_activity * ${s.number(H)} THEN 1 ELSE 0 END`;
      conditions.push('coalesce(m.baseline_activity, 0) > 0');
      break;
    }
  }
  const matured = `(SELECT data_end FROM data_end) >= ${horizonEnd}`;
  const joins = [
    needsActivity ? `LEFT JOIN measures AS m ON ${col('m', 'customer_id')} = ${col('p', 'customer_id')}` : '',
    definition.kind === 'contractual'
      ? `LEFT JOIN first_cancellation AS f ON ${col('f', 'customer_id')} = ${col('p', 'customer_id')} AND f.n = 1`
      : '',
  ].filter(Boolean);
  return [
    `WITH ${ctes.join(',\n')}`,
    `SELECT ${col('p', 'customer_id')},`,
    `  CASE WHEN ${matured} THEN ${churned} END AS ${s.identifier('churned')},`,
    `  CASE WHEN ${matured} THEN ${churnType} END AS ${s.identifier('churn_type')}`,
    'FROM population AS p',
    ...joins,
    ...(conditions.length > 0 ? [`WHERE ${s.and(conditions)}`] : []),
    `ORDER BY ${col('p', 'customer_id')}`,
  ].join('\n');
}
