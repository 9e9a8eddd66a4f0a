import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCE_KINDS } from '../config/config-schema.js';
import { CONFIG_FILE, loadConfig } from '../config/load-config.js';
import { type IngestReport, ingest } from '../warehouse/ingest.js';
import { openWarehouse, type Warehouse } from '../warehouse/warehouse.js';
import { type BusinessSimulation, dataEnd, simulateBusiness } from './business.js';
import { CHURN_CAUSES } from './business-model.js';
import { DATA_FILES } from './business-writer.js';
import { loadGroundTruth } from './ground-truth.js';
import { type BusinessSummary, writeBusiness } from './write-business.js';

// One demo business, written, ingested the product's way and its truth loaded, for all the tests below.
const dir = mkdtempSync(join(tmpdir(), 'churnwatch-demo-'));
let simulation: BusinessSimulation;
let summary: BusinessSummary;
let warehouse: Warehouse;
let report: IngestReport;
const progress: number[] = [];

beforeAll(async () => {
  simulation = simulateBusiness({ customers: 2000, seed: 5 });
  summary = writeBusiness(dir, simulation, { onProgress: (_stage, done) => progress.push(done) });
  warehouse = await openWarehouse(':memory:');
  report = await ingest(warehouse, loadConfig(join(dir, CONFIG_FILE)), { now: dataEnd(simulation) });
  await loadGroundTruth(warehouse, dir);
});
afterAll(() => {
  warehouse?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function value(sql: string): Promise<number> {
  const [row] = await warehouse.all<{ v: number }>(sql);
  return Number(row?.v);
}

describe('writeBusiness', () => {
  it('writes a configuration that loads, with every source and contractual churn over 30 days, top-k% tiers', () => {
    const config = loadConfig(join(dir, CONFIG_FILE));
    // Activity sources are globs, so the files of played months (play-forward.ts) are found too.
    for (const kind of SOURCE_KINDS) {
      const path = kind === 'customers' ? DATA_FILES[kind] : DATA_FILES[kind].replace('.csv', '*.csv');
      expect(config.sources[kind]?.path).toBe(join(dir, path));
    }
    expect(config.churn).toMatchObject({ kind: 'contractual', horizon_days: 30 });
    expect(config.tiers).toEqual({ top_k_percent: { high: 2, medium: 10 } });
  });

  it('reports progress up to every customer', () => {
    expect(progress).toEqual([1000, 2000, 2000]);
  });

  it('has a realistic size: events dominate, a few percent of bad rows at most', () => {
    const rows = summary.rows;
    expect(rows.customers).toBe(2000 + summary.testAccounts);
    expect(rows.events).toBeGreaterThan(150_000);
    expect(rows.events).toBeLessThan(450_000);
    expect(rows.transactions).toBeGreaterThan(rows.customers * 10);
    expect(rows.tickets).toBeGreaterThan(1000);
    const total = Object.values(rows).reduce((a, b) => a + b, 0);
    const bad = Object.values(summary.badRows).reduce((a, b) => a + b, 0);
    expect(bad / total).toBeGreaterThan(0.001);
    expect(bad / total).toBeLessThan(0.004);
    for (const count of Object.values(summary.badRows)) expect(count).toBeGreaterThan(0);
  });
});

describe('the ingest of the demo business', () => {
  it('quarantines exactly the planted bad rows, each for its kind', async () => {
    const missed = await warehouse.all(
      `SELECT b.* FROM truth_bad_rows AS b ANTI JOIN quarantine AS q
         ON q.file = ? || '/' || b.file AND q.line = b.line AND q.reason = b.kind`,
      [dir],
    );
    const extra = await warehouse.all(
      `SELECT q.file, q.line, q.reason, q.raw FROM quarantine AS q ANTI JOIN truth_bad_rows AS b
         ON q.file = ? || '/' || b.file AND q.line = b.line AND q.reason = b.kind`,
      [dir],
    );
    expect(missed).toEqual([]);
    expect(extra).toEqual([]);
    const byKind = await warehouse.all<{ kind: string; n: number }>(
      'SELECT kind, count(*) AS n FROM truth_bad_rows GROUP BY kind ORDER BY kind',
    );
    expect(Object.fromEntries(byKind.map((r) => [r.kind, r.n]))).toEqual(summary.badRows);
  });

  it('loads every good row (well above the 99% the business asks for)', () => {
    for (const source of report.sources) {
      const planted = source.quarantined.reduce((sum, q) => sum + q.rows, 0);
      expect(source.rowsRead).toBe(summary.rows[source.source]);
      expect(source.rowsLoaded).toBe(summary.rows[source.source] - planted);
    }
  });

  it('loads the personal fields: names, mainland mobile numbers, e-mails', async () => {
    expect(await value('SELECT count(*) AS v FROM customers WHERE name IS NULL')).toBe(0);
    expect(
      await value(`SELECT count(*) AS v FROM customers WHERE NOT regexp_matches(phone, '^1[3-9][0-9]{9}$')`),
    ).toBe(0);
    expect(await value('SELECT count(*) AS v FROM customers WHERE phone IS NOT NULL')).toBeGreaterThan(1900);
    expect(await value(`SELECT count(*) AS v FROM customers WHERE email LIKE '%@%'`)).toBeGreaterThan(1700);
  });

  it('leaves no activity after a customer cancelled', async () => {
    for (const [table, time] of [
      ['events', 'ts'],
      ['transactions', 'ts'],
      ['tickets', 'opened_at'],
    ]) {
      const after = await value(
        `SELECT count(*) AS v FROM ${table} AS a JOIN cancellations AS c USING (customer_id)
          WHERE a.${time} >= c.cancelled_at`,
      );
      expect(after, table).toBe(0);
    }
  });
});

describe('the churn of the demo business', () => {
  it('churns 1.5–6% of the members a month, voluntary and involuntary, for every cause', async () => {
    const monthly = await warehouse.all<{ rate: number }>(
      `SELECT count(*) FILTER (WHERE churned_at < month + INTERVAL 1 MONTH) / count(*) AS rate
         FROM truth_customers, (SELECT DISTINCT month FROM truth_hazard)
        WHERE signup_at < month AND (churned_at IS NULL OR churned_at >= month)
        GROUP BY month`,
    );
    const mean = monthly.reduce((sum, m) => sum + m.rate, 0) / monthly.length;
    expect(monthly.length).toBe(18);
    expect(mean).toBeGreaterThan(0.015);
    expect(mean).toBeLessThan(0.06);
    const causes = await warehouse.all<{ cause: string; voluntary: boolean }>(
      'SELECT DISTINCT cause, voluntary FROM truth_customers WHERE cause IS NOT NULL ORDER BY cause',
    );
    expect(causes.map((c) => c.cause).sort()).toEqual([...CHURN_CAUSES].sort());
    for (const { cause, voluntary } of causes) expect(voluntary).toBe(cause !== 'payment_failure');
  });

  it('has one cancellation per churned customer, voluntary and with its reason as the truth says', async () => {
    const mismatched = await value(
      `SELECT count(*) AS v FROM truth_customers AS t FULL JOIN cancellations AS c USING (customer_id)
        WHERE (t.churned_at IS NULL) <> (c.cancelled_at IS NULL) OR t.churned_at <> c.cancelled_at
           OR t.voluntary <> c.voluntary`,
    );
    expect(mismatched).toBe(0);
    expect(await value('SELECT count(*) AS v FROM cancellations')).toBe(
      summary.churnedVoluntarily + summary.churnedInvoluntarily,
    );
    // The stated reason arrives as the field `reason`, never mistaken for a quarantine reason.
    expect(await value('SELECT count(*) AS v FROM cancellations WHERE reason IS NULL')).toBe(0);
  });

  it('warns ahead: churners visit less in the 30 days before leaving than in the 30 before, and before that', async () => {
    // Visits of voluntary churners with 150+ days of membership, by 30-day window before the cancellation.
    const rows = await warehouse.all<{ months_before: number; visits: number; customers: number }>(
      `SELECT floor(date_diff('second', e.ts, c.cancelled_at) / 2592000)::INTEGER AS months_before,
          count(*) AS visits, count(DISTINCT c.customer_id) AS customers
        FROM cancellations AS c
        JOIN customers AS p USING (customer_id)
        JOIN events AS e ON e.customer_id = c.customer_id AND e.event_type = 'visit'
          AND e.ts >= c.cancelled_at - INTERVAL 150 DAY AND e.ts < c.cancelled_at
        WHERE c.voluntary AND p.signup_at < c.cancelled_at - INTERVAL 150 DAY
        GROUP BY ALL ORDER BY months_before`,
    );
    const visits = rows.map((r) => r.visits);
    expect(rows.map((r) => r.months_before)).toEqual([0, 1, 2, 3, 4]);
    expect(rows[0]!.customers).toBeGreaterThan(100);
    expect(visits[0]! / visits[1]!).toBeLessThan(0.9);
    expect(visits[0]! / visits[4]!).toBeLessThan(0.6);
  });

  it('loads the ground truth: traits per customer, a monthly hazard that is higher where churn happened', async () => {
    expect(await value('SELECT count(*) AS v FROM truth_customers')).toBe(2000);
    expect(await value('SELECT count(*) AS v FROM truth_market')).toBeGreaterThan(2);
    expect(
      await value(
        `SELECT count(*) AS v FROM truth_customers WHERE engagement <= 0 OR price_sensitivity NOT BETWEEN 0 AND 1
            OR service_sensitivity NOT BETWEEN 0 AND 1 OR competitor_exposure NOT BETWEEN 0 AND 1`,
      ),
    ).toBe(0);
    const [hazard] = await warehouse.all<{ churn_month: number; other: number; out_of_range: number }>(
      `SELECT avg(h.hazard) FILTER (WHERE date_trunc('month', t.churned_at) = h.month) AS churn_month,
          avg(h.hazard) FILTER (WHERE t.churned_at IS NULL OR date_trunc('month', t.churned_at) <> h.month) AS other,
          count(*) FILTER (WHERE h.hazard NOT BETWEEN 0 AND 1) AS out_of_range
        FROM truth_hazard AS h JOIN truth_customers AS t USING (customer_id)`,
    );
    expect(Number(hazard!.out_of_range)).toBe(0);
    expect(hazard!.churn_month).toBeGreaterThan(3 * hazard!.other);
    expect(hazard!.other).toBeGreaterThan(0.005);
    expect(hazard!.other).toBeLessThan(0.06);
  });
});
