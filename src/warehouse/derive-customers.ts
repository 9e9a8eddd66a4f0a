// Customers derived from activity, for a workspace without a customers source (many real exports, CDNOW among
// them, hold transactions only): one row per customer id seen in the loaded events, transactions, tickets or
// cancellations, signed up at its first activity, with no segment, region or plan.
//
// It runs inside the transaction of each file load, on that file's good rows, so every committed state has a
// customer row for every stored activity row. Customers stored before the run keep their row as it is; a
// customer first derived in this run gets the earliest activity of the run, whatever the order of the sources.

import type { SourceKind } from '../config/config-schema.js';
import { CLASSIFIED } from './classify-rows.js';
import { quoteIdentifier as id } from './sql-text.js';
import type { SqlRunner } from './warehouse.js';

/** The field of each activity source that says when the customer was there. */
export const ACTIVITY_TIME: Readonly<Record<Exclude<SourceKind, 'customers'>, string>> = {
  events: 'ts',
  transactions: 'ts',
  tickets: 'opened_at',
  cancellations: 'cancelled_at',
};

/** Temp table of the ids derived in this run (a temp table is rolled back with the load that filled it). */
const DERIVED_NOW = 'cw_derived_customers';

/** Opens a derivation run: call once before the loads, outside any transaction. */
export async function startDerivation(runner: SqlRunner): Promise<void> {
  await runner.run(`CREATE OR REPLACE TEMP TABLE ${DERIVED_NOW} (customer_id VARCHAR NOT NULL)`);
}

/** Closes the run started by startDerivation. */
export async function endDerivation(runner: SqlRunner): Promise<void> {
  await runner.run(`DROP TABLE IF EXISTS ${DERIVED_NOW}`);
}

/**
 * Adds a customer for every id among the good rows of the classified file that `customers` does not hold yet,
 * and moves earlier the signup of customers derived earlier in this run; returns how many were added.
 */
export async function deriveCustomers(
  tx: SqlRunner,
  kind: Exclude<SourceKind, 'customers'>,
): Promise<number> {
  const time = id(ACTIVITY_TIME[kind]);
  const firstSeen = `SELECT customer_id, min(${time}) AS first_at FROM ${CLASSIFIED} WHERE cw_reason IS NULL GROUP BY customer_id`;
  const stored = 'SELECT 1 FROM customers AS k WHERE k.customer_id = f.customer_id';
  const added = await tx.run(
    `INSERT INTO ${DERIVED_NOW} SELECT f.customer_id FROM (${firstSeen}) AS f WHERE NOT EXISTS (${stored})`,
  );
  await tx.run(
    `UPDATE customers SET signup_at = f.first_at FROM (${firstSeen}) AS f
     WHERE customers.customer_id = f.customer_id AND f.first_at < customers.signup_at
       AND customers.customer_id IN (SELECT customer_id FROM ${DERIVED_NOW})`,
  );
  await tx.run(
    `INSERT INTO customers (customer_id, signup_at)
     SELECT f.customer_id, f.first_at FROM (${firstSeen}) AS f WHERE NOT EXISTS (${stored})`,
  );
  return added;
}
