// For tests: scored customers with drivers and spend written straight into a warehouse, an actor, and a
// launched campaign.

import { expect } from 'vitest';
import type { Actor } from '../../security/audit-log.js';
import type { SqlParam, Warehouse } from '../../warehouse/warehouse.js';
import { launchCampaign } from '../create-campaign.js';
import { RetentionError } from '../retention-error.js';
import { createStrategy } from '../strategy-store.js';

/** One customer as the fixtures write it. */
export interface FixtureCustomer {
  id: string;
  segment?: string | null;
  probability: number;
  /** Driver features, each with contribution 0.5 (raising the risk). */
  drivers?: string[];
  /** Spent once, 10 days before the score: the customer's value. */
  spend?: number;
}

export const SCORED_AT = '2025-01-05';

export const TEST_ACTOR: Actor = { name: 'ops1', role: 'operator', ip: '127.0.0.1' };

/** Writes customers, one score each on SCORED_AT (tier by 0.8 / 0.5), and their spend, in three statements. */
export async function addScoredCustomers(
  warehouse: Warehouse,
  customers: readonly FixtureCustomer[],
): Promise<void> {
  if (customers.length === 0) return;
  const people: SqlParam[] = [];
  const scores: SqlParam[] = [];
  const spend: SqlParam[] = [];
  for (const c of customers) {
    const tier = c.probability >= 0.8 ? 'high' : c.probability >= 0.5 ? 'medium' : 'low';
    const drivers = (c.drivers ?? ['days_since_last_tx']).map((feature) => ({
      feature,
      value: '1',
      contribution: 0.5,
    }));
    people.push(c.id, c.segment === undefined ? 'retail' : c.segment);
    scores.push(c.id, c.probability, tier, `${tier} risk`, `${tier}风险`, JSON.stringify(drivers));
    if (c.spend !== undefined) spend.push(c.id, c.spend);
  }
  const rows = (n: number, row: string) => Array.from({ length: n }, () => row).join(', ');
  await warehouse.run(
    `INSERT INTO customers (customer_id, signup_at, segment) VALUES ${rows(customers.length, "(?, TIMESTAMP '2024-01-01', ?)")}`,
    people,
  );
  await warehouse.run(
    `INSERT INTO scores (customer_id, scored_at, model_version, probability, tier, reasons_en, reasons_zh, drivers)
     VALUES ${rows(customers.length, `(?, DATE '${SCORED_AT}', 1, ?, ?, ?, ?, ?)`)}`,
    scores,
  );
  if (spend.length > 0) {
    await warehouse.run(
      `INSERT INTO transactions (customer_id, ts, amount)
       VALUES ${rows(spend.length / 2, `(?, DATE '${SCORED_AT}' - INTERVAL 10 DAY, ?)`)}`,
      spend,
    );
  }
}

/** Awaits `promise`, expects it to reject with a RetentionError, and returns that error. */
export async function retentionFailure(promise: Promise<unknown>): Promise<RetentionError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RetentionError);
    return error as RetentionError;
  }
  throw new Error('expected a RetentionError');
}

/**
 * 20 high-risk customers C00…C19 (spend 500 each), the re-engagement strategy, and a matched campaign `push`
 * (seed 1: 18 treated, 2 held out) launched at `now`; its id, strategy and treated action ids by customer.
 */
export async function launchTestCampaign(
  warehouse: Warehouse,
  now: number,
): Promise<{ campaignId: string; strategyId: string; actionIds: string[] }> {
  await addScoredCustomers(
    warehouse,
    Array.from({ length: 20 }, (_, i) => ({
      id: `C${String(i).padStart(2, '0')}`,
      probability: 0.9,
      spend: 500,
    })),
  );
  const strategy = await createStrategy(
    warehouse,
    { templateId: 'ecommerce-reengagement', fields: {} },
    TEST_ACTOR,
    now,
  );
  const launched = await warehouse.transaction((tx) =>
    launchCampaign(tx, { name: 'push', mode: 'match', target: {}, budget: null, seed: 1 }, TEST_ACTOR, now),
  );
  const rows = await warehouse.all<{ action_id: string }>(
    "SELECT action_id FROM campaign_members WHERE campaign_id = ? AND arm = 'treated' ORDER BY customer_id",
    [launched.id],
  );
  return { campaignId: launched.id, strategyId: strategy.id, actionIds: rows.map((r) => r.action_id) };
}
