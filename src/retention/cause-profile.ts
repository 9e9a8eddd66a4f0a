// Why each customer is at risk, as shares of their risk: the stored drivers of a score (its largest TreeSHAP
// contributions that raise the risk, `scores.drivers`) summed per cause tag (cause-tags.ts) and normalised.
// A customer whose risk comes half from tickets and half from inactivity is half service-dissatisfied, half
// disengaged. The drivers are what the dashboard shows as the score's reasons, so the causes an uplift
// estimate rests on are the ones the operator sees; and reading them costs nothing, where recomputing
// TreeSHAP for a forest champion took about 12 ms a customer.

import type { SqlCell, SqlRunner } from '../warehouse/warehouse.js';
import {
  CAUSE_TAGS,
  type CauseTagOverrides,
  causeTagOf,
  parseDrivers,
  type ScoreDriver,
} from './cause-tags.js';

/** The profile's columns: the cause tags, then risk that no tag explains (features no rule recognises). */
export const PROFILE_CAUSES = [...CAUSE_TAGS, 'untagged'] as const;

/** Per row, the share of each of PROFILE_CAUSES in its risk, and its churn probability. */
export interface CauseProfiles {
  nRows: number;
  /** Row-major, PROFILE_CAUSES.length shares per row summing to 1 (all `untagged` when nothing raises risk). */
  shares: Float64Array;
  /** The score's calibrated churn probability per row. */
  risk: Float64Array;
}

/** The profiles of rows with these drivers and probabilities. */
export function profilesFromDrivers(
  drivers: readonly (readonly ScoreDriver[])[],
  risk: ArrayLike<number>,
  overrides: CauseTagOverrides = new Map(),
): CauseProfiles {
  const width = PROFILE_CAUSES.length;
  const untagged = width - 1;
  const shares = new Float64Array(drivers.length * width);
  drivers.forEach((rowDrivers, row) => {
    const base = row * width;
    let total = 0;
    for (const { feature, contribution } of rowDrivers) {
      if (!(contribution > 0)) continue;
      const tag = causeTagOf(feature, overrides);
      shares[base + (tag === null ? untagged : CAUSE_TAGS.indexOf(tag))] += contribution;
      total += contribution;
    }
    if (total > 0) for (let c = 0; c < width; c++) shares[base + c] /= total;
    else shares[base + untagged] = 1;
  });
  return { nRows: drivers.length, shares, risk: Float64Array.from(risk) };
}

/**
 * The profiles of customer `customerIds[i]` as scored on `scoredAt[i]` (`YYYY-MM-DD`; the newest score of
 * that day). A customer without such a score gets risk 0 and an untagged profile, so no uplift.
 */
export async function readCauseProfiles(
  db: SqlRunner,
  customerIds: readonly string[],
  scoredAt: readonly string[],
  overrides: CauseTagOverrides = new Map(),
): Promise<CauseProfiles> {
  const rows = await db.all<Record<string, SqlCell>>(
    `SELECT s.customer_id, strftime(s.scored_at, '%Y-%m-%d') AS scored_at, s.probability, s.drivers
     FROM scores AS s
     JOIN (SELECT DISTINCT unnest(from_json(CAST(? AS JSON), '["VARCHAR"]')) AS day) AS d
       ON s.scored_at = CAST(d.day AS DATE)
     QUALIFY row_number() OVER (PARTITION BY s.customer_id, s.scored_at ORDER BY s.created_at DESC, s.model_version DESC) = 1`,
    [JSON.stringify([...new Set(scoredAt)])],
  );
  const byKey = new Map(rows.map((row) => [`${row.customer_id}\u0000${row.scored_at}`, row]));
  const drivers: ScoreDriver[][] = [];
  const risk = new Float64Array(customerIds.length);
  customerIds.forEach((id, i) => {
    const row = byKey.get(`${id}\u0000${scoredAt[i]}`);
    drivers.push(row ? parseDrivers(String(row.drivers)) : []);
    risk[i] = row ? Number(row.probability) : 0;
  });
  return profilesFromDrivers(drivers, risk, overrides);
}

/** The profiles of `rows` only, in that order. */
export function takeProfiles(profiles: CauseProfiles, rows: ArrayLike<number>): CauseProfiles {
  const width = PROFILE_CAUSES.length;
  const shares = new Float64Array(rows.length * width);
  const risk = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    shares.set(profiles.shares.subarray(rows[i] * width, (rows[i] + 1) * width), i * width);
    risk[i] = profiles.risk[rows[i]];
  }
  return { nRows: rows.length, shares, risk };
}
