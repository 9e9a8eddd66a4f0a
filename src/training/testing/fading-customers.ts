// A small warehouse whose churners fade before they leave, generated in SQL so tests stay fast: 400
// customers over 2024, a quarter of them churning on a known day after a month of fewer visits.

import type { Config } from '../../config/config-schema.js';
import { configSchema } from '../../config/config-schema.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

/** Customers in the fixture. */
export const FADING_CUSTOMERS = 400;

/** The day (0 = 2024-01-01) customer i stops all activity; 9999 for those who stay. */
const CHURN_DAY = 'CASE WHEN i % 4 = 0 THEN 90 + (i * 37) % 240 ELSE 9999 END';
/** A deterministic draw in [0, 100) per customer and day. */
const DRAW = '(hash(i * 1000 + d) % 100)';

/** Fills an empty warehouse with the fixture. */
export async function insertFadingCustomers(warehouse: Warehouse): Promise<void> {
  const days = `range(1, ${FADING_CUSTOMERS + 1}) AS c(i), range(0, 366) AS t(d)`;
  const alive = `d < ${CHURN_DAY}`;
  const rate = `CASE WHEN d >= ${CHURN_DAY} - 30 THEN 8 ELSE 35 + (i % 5) * 5 END`;
  await warehouse.run(
    `INSERT INTO customers (customer_id, signup_at, segment, region, plan)
     SELECT 'c' || lpad(i::VARCHAR, 4, '0'), TIMESTAMP '2024-01-01' - to_days((i % 60)::INTEGER),
            CASE WHEN i % 3 = 0 THEN 'vip' ELSE 'regular' END, 'north', 'basic'
     FROM range(1, ${FADING_CUSTOMERS + 1}) AS c(i)`,
  );
  await warehouse.run(
    `INSERT INTO events
     SELECT 'c' || lpad(i::VARCHAR, 4, '0'),
            TIMESTAMP '2024-01-01' + to_days(d::INTEGER) + to_hours((i % 12)::INTEGER), 'visit', NULL
     FROM ${days} WHERE ${alive} AND ${DRAW} < ${rate}`,
  );
  await warehouse.run(
    `INSERT INTO transactions
     SELECT 'c' || lpad(i::VARCHAR, 4, '0'),
            TIMESTAMP '2024-01-01' + to_days(d::INTEGER) + to_hours(13), 10 + i % 7, NULL, NULL
     FROM ${days} WHERE ${alive} AND ${DRAW} < ${rate} / 8`,
  );
}

/** Non-contractual churn: no visit in the 30 days after the cutoff. */
export function fadingConfig(overrides: Record<string, unknown> = {}): Config {
  return configSchema.parse({
    sources: { customers: { path: 'unused.csv' } },
    churn: { kind: 'non_contractual', horizon_days: 30, activity: [{ source: 'events' }] },
    ...overrides,
  });
}
