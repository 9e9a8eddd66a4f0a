// The demo business's ground truth as warehouse tables (demo only, not part of the schema migrations):
//   truth_customers  one row per customer: profile, latent traits, churned_at, cause, voluntary (NULL: stayed)
//   truth_hazard     customer_id, month (first day), hazard: the true probability of churning that month
//   truth_bad_rows   file, line, kind of every planted bad row (kind = the quarantine reason it must get)
//   truth_market     the competitor promotions (region, dates, strength) and the price increase (plan, date)
// and after months were played forward (play-forward.ts; hazard and market then include the played months):
//   truth_played_churn  customer_id, churned_at, cause, voluntary of the customers who left in played months
//   truth_campaign      per campaign customer: group, action, day, drift cause, churned with / without it

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { quoteString } from '../warehouse/sql-text.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { TRUTH_FILES, type TRUTH_HEADERS } from './business-writer.js';
import type { CAMPAIGN_TRUTH_HEADER, CHURN_TRUTH_HEADER } from './play-forward.js';

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

/** Truth files that played months add to (`truth/hazard-<from>_<to>.csv` next to `truth/hazard.csv`). */
const PLAYED_TOO: ReadonlySet<keyof typeof TRUTH_FILES> = new Set(['hazard', 'market']);

/** Truth tables of played months only, with their files' name prefix and column types. */
const PLAYED_TABLES = {
  truth_played_churn: {
    prefix: 'churn-',
    types: {
      customer_id: 'VARCHAR',
      churned_at: 'TIMESTAMP',
      cause: 'VARCHAR',
      voluntary: 'BOOLEAN',
    } satisfies Record<(typeof CHURN_TRUTH_HEADER)[number], string>,
  },
  truth_campaign: {
    prefix: 'campaign-',
    types: {
      customer_id: 'VARCHAR',
      campaign_group: 'VARCHAR',
      action: 'VARCHAR',
      treated_on: 'DATE',
      horizon_ends_on: 'DATE',
      member: 'BOOLEAN',
      drift_cause: 'VARCHAR',
      readiness: 'DOUBLE',
      churned_with_action: 'BOOLEAN',
      churned_without_action: 'BOOLEAN',
      churned_at: 'TIMESTAMP',
    } satisfies Record<(typeof CAMPAIGN_TRUTH_HEADER)[number], string>,
  },
} as const;

/** Creates or replaces the truth_* tables from `dir`/truth/, `dir` being the folder writeBusiness wrote. */
export async function loadGroundTruth(warehouse: Warehouse, dir: string): Promise<void> {
  for (const key of Object.keys(TRUTH_FILES) as (keyof typeof TRUTH_FILES)[]) {
    const path = PLAYED_TOO.has(key) ? TRUTH_FILES[key].replace(/\.csv$/, '*.csv') : TRUTH_FILES[key];
    await warehouse.run(
      `CREATE OR REPLACE TABLE ${TABLES[key]} AS ${readCsv(join(dir, path), TRUTH_TYPES[key])}`,
    );
  }
  const truthDir = join(dir, 'truth');
  const names = existsSync(truthDir) ? readdirSync(truthDir) : [];
  for (const [table, { prefix, types }] of Object.entries(PLAYED_TABLES)) {
    if (names.some((name) => name.startsWith(prefix) && name.endsWith('.csv'))) {
      const query = readCsv(join(truthDir, `${prefix}*.csv`), types);
      await warehouse.run(`CREATE OR REPLACE TABLE ${table} AS ${query}`);
    } else {
      // Nothing played yet: the table is there, empty, so queries need not ask.
      const columns = Object.entries(types).map(([name, type]) => `"${name}" ${type}`);
      await warehouse.run(`CREATE OR REPLACE TABLE ${table} (${columns.join(', ')})`);
    }
  }
}

/** A SELECT of typed CSV files (a path or glob), header on line 1. */
function readCsv(path: string, types: Record<string, string>): string {
  const columns = Object.entries(types)
    .map(([name, type]) => `${quoteString(name)}: ${quoteString(type)}`)
    .join(', ');
  return (
    `SELECT * FROM read_csv(${quoteString(path)}, header = true, auto_detect = false, delim = ',', ` +
    `quote = '"', escape = '"', columns = {${columns}})`
  );
}
