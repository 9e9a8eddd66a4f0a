// A campaign's candidates: every scored customer's latest score with its value (spend in the 90 days before
// the score) and segment, filtered by tier, segment, reason or an explicit list, with their cause tags.

import { LATEST_SCORES_WITH_VALUE_SQL } from '../queries/latest-scores-table.js';
import type { SqlCell, SqlParam, SqlRunner } from '../warehouse/warehouse.js';
import { loadCauseTagOverrides } from './cause-tag-store.js';
import { CAUSE_TAGS, type CauseTag, causeTags, parseDrivers } from './cause-tags.js';
import type { MatchCustomer } from './match-strategies.js';

/** Which customers a campaign looks at; absent filters admit everyone. */
export interface TargetFilter {
  tiers?: readonly string[];
  segment?: string;
  /** A cause tag, a driver's feature name, or a word of the reasons (en or zh-CN). */
  reason?: string;
  /** Only these customers (e.g. a selection from the at-risk list). */
  customerIds?: readonly string[];
}

/** A candidate with the score it was judged on. */
export interface TargetCustomer extends MatchCustomer {
  causes: CauseTag[];
  scoredAt: string;
  modelVersion: number;
}

/** The candidates matching `filter`, by customer id. */
export async function readTargetCustomers(db: SqlRunner, filter: TargetFilter): Promise<TargetCustomer[]> {
  const where: string[] = [];
  const values: SqlParam[] = [];
  if (filter.tiers && filter.tiers.length > 0) {
    where.push(`l.tier IN (${filter.tiers.map(() => '?').join(', ')})`);
    values.push(...filter.tiers);
  }
  if (filter.segment !== undefined) {
    where.push('c.segment = ?');
    values.push(filter.segment);
  }
  const byCause = filter.reason !== undefined && (CAUSE_TAGS as readonly string[]).includes(filter.reason);
  if (filter.reason !== undefined && !byCause) {
    where.push(
      `(list_contains(json_extract_string(l.drivers, '$[*].feature'), ?)
        OR contains(lower(l.reasons_en), lower(?)) OR contains(l.reasons_zh, ?))`,
    );
    values.push(filter.reason, filter.reason, filter.reason);
  }
  if (filter.customerIds !== undefined) {
    if (filter.customerIds.length === 0) return [];
    // One JSON parameter rather than a placeholder per id: lists run to thousands.
    where.push(`l.customer_id IN (SELECT unnest(from_json(CAST(? AS JSON), '["VARCHAR"]')))`);
    values.push(JSON.stringify(filter.customerIds));
  }
  const rows = await db.all<Record<string, SqlCell>>(
    `SELECT l.customer_id, l.probability, l.tier, l.value, l.drivers, strftime(l.scored_at, '%Y-%m-%d') AS scored_at,
       l.model_version, c.segment
     FROM (${LATEST_SCORES_WITH_VALUE_SQL}) AS l
     LEFT JOIN (SELECT customer_id, any_value(segment) AS segment FROM customers GROUP BY customer_id) AS c
       ON c.customer_id = l.customer_id
     ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY l.customer_id`,
    values,
  );
  const overrides = await loadCauseTagOverrides(db);
  const customers = rows.map(
    (row): TargetCustomer => ({
      customerId: String(row.customer_id),
      probability: Number(row.probability),
      tier: String(row.tier),
      value: Number(row.value),
      segment: row.segment === null ? null : String(row.segment),
      causes: causeTags(parseDrivers(String(row.drivers)), overrides),
      scoredAt: String(row.scored_at),
      modelVersion: Number(row.model_version),
    }),
  );
  return byCause ? customers.filter((c) => c.causes.includes(filter.reason as CauseTag)) : customers;
}
