// The demo business's ground truth as warehouse tables (demo only, not part of the schema migrations):
//   truth_customers  one row per customer: profile, latent traits, churned_at, cause, voluntary (NULL: stayed)
//   truth_hazard     customer_id, month (first day), hazard: the true probability of churning that month
//   truth_bad_rows   file, line, kind of every planted bad row (kind = the quarantine reason it must get)
//   truth_market     the competitor promotions (region, dates, strength) and the price increase (plan, date)

import { join } from 'node:path';
import { quoteString } from '../warehouse/sql-text.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { TRUTH_FILES, type TRUTH_HEADERS } from './business-writer.js';

/** Column types per truth file (the files' header order). */
const TRUTH_TYPES: { [K in keyof typeof TRUTH_FILES]: Record<(typeof TRUTH_HEADERS)[K][number], string> } = {
  customers: {
    customer_id: 'VARCHAR',
    signup_at: 'TIMESTAMP',
    segment: 'VARCHAR',
    region: 'VARCHAR',
    plan: 'VARCHAR',
    value_tier: 'VARCHAR',
    payment_method: 'VARCHAR',
    engagement: 'DOUBLE',
    price_sensitivity: 'DOUBLE',
    service_sensitivity: 'DOUBLE',
    competitor_exposure: 'DOUBLE',
    payment_failure: 'DOUBLE',
    churned_at: 'TIMESTAMP',
    cause: 'VARCHAR',
    voluntary: 'BOOLEAN',
  },
  hazard: { customer_id: 'VARCHAR', month: 'DATE', hazard: 'DOUBLE' },
  badRows: { file: 'VARCHAR', line: 'BIGINT', kind: 'VARCHAR' },
  market: {
    kind: 'VARCHAR',
    region: 'VARCHAR',
    plan: 'VARCHAR',
    starts_on: 'DATE',
    ends_on: 'DATE',
    strength: 'DOUBLE',
  },
};

const TABLES = {
  customers: 'truth_customers',
  hazard: 'truth_hazard',
  badRows: 'truth_bad_rows',
  market: 'truth_market',
} as const satisfies Record<keyof typeof TRUTH_FILES, string>;

/** Creates or replaces the truth_* tables from `dir`/truth/, `dir` being the folder writeBusiness wrote. */
export async function loadGroundTruth(warehouse: Warehouse, dir: string): Promise<void> {
  for (const key of Object.keys(TRUTH_FILES) as (keyof typeof TRUTH_FILES)[]) {
    const columns = Object.entries(TRUTH_TYPES[key])
      .map(([name, type]) => `${quoteString(name)}: ${quoteString(type)}`)
      .join(', ');
    const file = quoteString(join(dir, TRUTH_FILES[key]));
    await warehouse.run(
      `CREATE OR REPLACE TABLE ${TABLES[key]} AS SELECT * FROM read_csv(${file}, header = true, ` +
        `auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {${columns}})`,
    );
  }
}
