// For tests: scored customers with drivers and spend written straight into a warehouse, and an actor.

import { expect } from 'vitest';
import type { Actor } from '../../security/audit-log.js';
import type { SqlParam, Warehouse } from '../../warehouse/warehouse.js';
import { RetentionError } from '../retention-error.js';

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
