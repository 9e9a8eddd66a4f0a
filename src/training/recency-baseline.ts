// The yardstick a churn model must beat: rank customers by days since their last activity before the cutoff.
// A model that cannot beat recency alone adds nothing a CRM query could not do.

import { normalizeCutoff } from '../features/cutoff.js';
import { activitySql } from '../labels/activity-sql.js';
import type { ActivitySpec, ChurnDefinition } from '../labels/churn-definition.js';
import { averagePrecision, rocAuc } from '../ml/metrics.js';
import { duckdbDialect } from '../warehouse/sql-dialect.js';
import type { Warehouse } from '../warehouse/warehouse.js';

/** Every kind of activity: what "last activity" means when the definition names none (contractual churn). */
const ALL_ACTIVITY: readonly ActivitySpec[] = [{ source: 'transactions' }, { source: 'events' }];

/** ROC-AUC and PR-AUC of the recency ranking. */
export interface BaselineScores {
  roc_auc: number;
  pr_auc: number;
}

/**
 * Scores `customers` at `cutoff` by days since their last activity before it (never active: the longest),
 * and measures that ranking against their labels `y`.
 */
export async function recencyBaseline(
  warehouse: Warehouse,
  definition: ChurnDefinition,
  cutoff: string,
  customers: readonly string[],
  y: ArrayLike<number>,
): Promise<BaselineScores> {
  const s = duckdbDialect.createCompiler();
  const T = s.timestamp(normalizeCutoff(cutoff));
  const specs = definition.kind === 'contractual' ? ALL_ACTIVITY : definition.activity;
  const rows = await warehouse.all<{ customer_id: string; days: number }>(
    `SELECT customer_id, date_diff('second', max(ts), ${T}) / 86400.0 AS days
     FROM (${activitySql(s, specs, (time) => `${time} < ${T}`)}) AS activity
     GROUP BY customer_id`,
  );
  const daysOf = new Map(rows.map((row) => [row.customer_id, row.days]));
  const score = Float64Array.from(customers, (id) => daysOf.get(id) ?? Number.MAX_VALUE);
  return { roc_auc: rocAuc(y, score), pr_auc: averagePrecision(y, score) };
}
