// The workspace commands end to end through the built CLI: init, ingest (load report, quarantine, re-runs,
// failed loads), bad configurations, and analyze inactivity, checked in the output and in the warehouse file.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InactivityCurve } from '../src/labels/analyze-inactivity.js';
import type { IngestReport, SourceLoad } from '../src/warehouse/ingest.js';
import { type CliRun, cli, tempDir } from './cli-helpers.js';
import { quarantineCounts, queryWarehouse, tableCounts } from './warehouse-query.js';
import {
  CHURNERS,
  CUSTOMERS,
  dataRows,
  dataSet,
  fileText,
  RETURN_GAP,
  RETURNERS,
  reasonCounts,
  SUGGESTED_HORIZON,
  WORKSPACE_CONFIG,
  writeData,
  writeWorkspace,
} from './workspace-data.js';

const data = dataSet();
const SOURCES = ['customers', 'events', 'transactions', 'tickets'] as const;

/** Exit 2, one line on stderr without a stack, containing every fragment. */
function expectBadInput(run: CliRun, ...fragments: string[]): string {
  expect(run.status).toBe(2);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stderr).toMatch(/^churnwatch: error: /);
  for (const fragment of fragments) expect(run.stderr).toContain(fragment);
  return run.stderr;
}

/** `churnwatch ingest --workspace DIR --json`, expected to succeed with one JSON line and nothing on stderr. */
function ingestJson(workspace: string): IngestReport {
  const run = cli(['ingest', '--workspace', workspace, '--json']);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const lines = run.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as IngestReport;
}

function sourceOf(report: IngestReport, source: string): SourceLoad {
  const load = report.sources.find((s) => s.source === source);
  if (!load) throw new Error(`no ${source} in the report`);
  return load;
}

function reportedReasons(load: SourceLoad): Record<string, number> {
  return Object.fromEntries(load.quarantined.map((q) => [q.reason, q.rows]));
}

/** A fresh workspace with the data set and the test config written into it. */
function freshWorkspace(): string {
  const workspace = tempDir('churnwatch-ws-');
  writeWorkspace(workspace);
  return workspace;
}

describe('init', () => {
  const parent = tempDir();
  const workspace = join(parent, 'nested', 'ws');
  const config = join(workspace, 'churnwatch.yaml');

  it('creates the workspace folder and a commented churnwatch.yaml', () => {
    const run = cli(['init', '--workspace', workspace]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(config);
    expect(run.stdout).toContain(`churnwatch ingest --workspace ${workspace}`);
    const text = readFileSync(config, 'utf8');
    const comments = text.split('\n').filter((line) => line.trimStart().startsWith('#'));
    expect(comments.length).toBeGreaterThan(10);
    for (const key of ['version:', 'sources:', 'customers:', 'churn:', 'horizon_days:', 'test_accounts:']) {
      expect(text).toContain(key);
    }
  });

  it('a second init refuses to overwrite, naming the file, and leaves it alone', () => {
    writeFileSync(config, '# my edits\n');
    expectBadInput(cli(['init', '--workspace', workspace]), config, 'exists already', '--force');
    expect(readFileSync(config, 'utf8')).toBe('# my edits\n');
  });

  it('--force overwrites; --json prints one line with the path', () => {
    const run = cli(['init', '--workspace', workspace, '--force', '--json']);
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(run.stdout)).toEqual({ config });
    expect(readFileSync(config, 'utf8')).not.toContain('# my edits');
    expect(readFileSync(config, 'utf8')).toContain('sources:');
  });

  it('ingest right after init names the data file that is not there yet', () => {
    expectBadInput(cli(['ingest', '--workspace', workspace]), join(workspace, 'data', 'customers.csv'));
  });

  it('the example config ingests files dropped into data/ with the column names it expects', () => {
    const ws = tempDir('churnwatch-init-');
    expect(cli(['init', '--workspace', ws]).status).toBe(0);
    writeData(ws);
    // The example expects our field names; rename the customers header that WORKSPACE_CONFIG maps.
    const customers = join(ws, 'data', 'customers.csv');
    writeFileSync(
      customers,
      readFileSync(customers, 'utf8').replace(/^id,joined,/, 'customer_id,signup_at,'),
    );
    const report = ingestJson(ws);
    for (const source of SOURCES) {
      expect(sourceOf(report, source).rowsLoaded, source).toBe(data[source].good.length);
    }
  });
});

describe('ingest of a hand-made data set', () => {
  const workspace = freshWorkspace();
  let first: IngestReport;

  beforeAll(() => {
    first = ingestJson(workspace);
  });

  it('loads the good rows of every source and counts them per source', () => {
    expect(first.sources.map((s) => s.source)).toEqual([...SOURCES]);
    for (const source of SOURCES) {
      const load = sourceOf(first, source);
      expect(load.rowsLoaded, source).toBe(data[source].good.length);
      expect(load.files).toHaveLength(1);
      expect(load.files[0]!.file).toBe(join(workspace, 'data', data[source].name));
      expect(load.files[0]!.status).toBe('loaded');
    }
    const good = SOURCES.reduce((sum, s) => sum + data[s].good.length, 0);
    expect(first.rowsLoaded).toBe(good);
  });

  it('counts every bad row per reason', () => {
    for (const source of SOURCES) {
      expect(reportedReasons(sourceOf(first, source)), source).toEqual(reasonCounts(data[source]));
    }
    const bad = SOURCES.reduce((sum, s) => sum + data[s].bad.length, 0);
    expect(first.rowsQuarantined).toBe(bad);
  });

  it('drops nothing silently: loaded + quarantined = rows in the file, in the report and in the warehouse', async () => {
    const counts = await tableCounts(workspace);
    const quarantined = await quarantineCounts(workspace);
    for (const source of SOURCES) {
      const rows = dataRows(readFileSync(join(workspace, 'data', data[source].name), 'utf8'));
      const load = sourceOf(first, source);
      expect(load.rowsRead, source).toBe(rows);
      expect(load.rowsLoaded + load.rowsQuarantined, source).toBe(rows);
      expect(counts[source]! + Object.values(quarantined[source] ?? {}).reduce((a, b) => a + b, 0)).toBe(
        rows,
      );
      expect(quarantined[source], source).toEqual(reasonCounts(data[source]));
    }
  });

  it('the quarantine keeps each bad row with its file line and raw text', async () => {
    // The transactions' negative amount is the first bad row: line = header + good rows + 1.
    const rows = await queryWarehouse(
      workspace,
      "SELECT file, line, customer_id, raw FROM quarantine WHERE reason = 'negative_amount'",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.file).toBe(join(workspace, 'data', 'transactions.csv'));
    expect(rows[0]!.line).toBe(data.transactions.good.length + 2);
    expect(rows[0]!.customer_id).toBe('c001');
    expect(JSON.parse(rows[0]!.raw as string)).toMatchObject({ customer_id: 'c001', amount: '-5.00' });
    const example = sourceOf(first, 'transactions').quarantined.find((q) => q.reason === 'negative_amount');
    expect(example?.examples[0]?.line).toBe(data.transactions.good.length + 2);
  });

  it('test accounts by the id rule go to the quarantine with all their rows', async () => {
    const rows = await queryWarehouse(
      workspace,
      "SELECT source, reason FROM quarantine WHERE customer_id = 'test_01' ORDER BY source",
    );
    expect(rows).toEqual([
      { source: 'customers', reason: 'test_account' },
      { source: 'events', reason: 'test_account' },
      { source: 'transactions', reason: 'test_account' },
    ]);
    const stored = await queryWarehouse(
      workspace,
      `SELECT count(*) AS n FROM (SELECT customer_id FROM customers UNION ALL SELECT customer_id FROM events
       UNION ALL SELECT customer_id FROM transactions) WHERE customer_id LIKE 'test%'`,
    );
    expect(stored[0]!.n).toBe(0);
  });

  it('the column mapping and the types arrive in the warehouse', async () => {
    const rows = await queryWarehouse(
      workspace,
      "SELECT customer_id, signup_at, segment FROM customers WHERE customer_id = 'c010'",
    );
    expect(rows).toEqual([
      { customer_id: 'c010', signup_at: '2024-12-07T09:00:00.000Z', segment: 'enterprise' },
    ]);
    const amounts = await queryWarehouse(
      workspace,
      'SELECT min(amount) AS lo, max(amount) AS hi FROM transactions',
    );
    expect(amounts).toEqual([{ lo: 10.5, hi: 25 }]);
  });

  it('prints the load report as tables without --json', () => {
    const ws = freshWorkspace();
    const run = cli(['ingest', '--workspace', ws]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^source\s+files\s+unchanged\s+rows read\s+loaded\s+quarantined$/);
    expect(lines[1]).toMatch(/^[─ ]+$/);
    expect(lines.find((l) => l.startsWith('transactions'))).toMatch(
      new RegExp(
        `^transactions\\s+1\\s+0\\s+${data.transactions.good.length + data.transactions.bad.length}\\s+`,
      ),
    );
    expect(run.stdout).toContain('quarantined rows (table quarantine):');
    expect(run.stdout).toMatch(/transactions\s+negative_amount\s+1\s+line \d+: amount: -5\.00/);
    expect(run.stdout).toContain(`loaded ${first.rowsLoaded} rows, quarantined ${first.rowsQuarantined}`);
  });

  it('running ingest again on the same files reads nothing and adds nothing', async () => {
    const before = await tableCounts(workspace);
    const again = ingestJson(workspace);
    for (const source of SOURCES) {
      const load = sourceOf(again, source);
      expect(
        load.files.map((f) => f.status),
        source,
      ).toEqual(['unchanged']);
      expect(load.rowsLoaded, source).toBe(0);
      expect(load.rowsQuarantined, source).toBe(0);
    }
    expect(again.rowsLoaded).toBe(0);
    expect(again.rowsQuarantined).toBe(0);
    expect(await tableCounts(workspace)).toEqual(before);
  });

  it('a file loaded again with one new row adds only that row; stored facts are not duplicated', async () => {
    const before = await tableCounts(workspace);
    const added = 'c041,2025-06-30 09:00:00,3.25';
    writeFileSync(join(workspace, 'data', 'transactions.csv'), fileText(data.transactions, [added]));
    // A changed profile replaces the stored one (customers are keyed by id), it does not add a second.
    const customers = join(workspace, 'data', 'customers.csv');
    writeFileSync(customers, readFileSync(customers, 'utf8').replace(/^c001,([^,]*),smb,/m, 'c001,$1,vip,'));
    const report = ingestJson(workspace);

    const tx = sourceOf(report, 'transactions');
    expect(tx.files[0]!.status).toBe('loaded');
    expect(tx.rowsRead).toBe(data.transactions.good.length + data.transactions.bad.length + 1);
    expect(tx.rowsLoaded).toBe(1);
    expect(reportedReasons(tx)).toEqual({
      ...reasonCounts(data.transactions),
      already_loaded: data.transactions.good.length,
    });
    expect(sourceOf(report, 'customers').rowsLoaded).toBe(CUSTOMERS);
    for (const source of ['events', 'tickets']) {
      expect(sourceOf(report, source).files[0]!.status, source).toBe('unchanged');
    }

    const after = await tableCounts(workspace);
    expect(after.transactions).toBe(before.transactions! + 1);
    expect(after.customers).toBe(before.customers);
    expect(after.events).toBe(before.events);
    expect(after.tickets).toBe(before.tickets);
    const c001 = await queryWarehouse(workspace, "SELECT segment FROM customers WHERE customer_id = 'c001'");
    expect(c001).toEqual([{ segment: 'vip' }]);
    const dupes = await queryWarehouse(
      workspace,
      `SELECT count(*) AS n FROM (SELECT customer_id, ts, amount FROM transactions
       GROUP BY ALL HAVING count(*) > 1)`,
    );
    expect(dupes[0]!.n).toBe(0);
  });
});

describe('a failed load leaves the previous data intact', () => {
  const workspace = freshWorkspace();
  const transactions = join(workspace, 'data', 'transactions.csv');
  let before: Record<string, number>;

  beforeAll(async () => {
    ingestJson(workspace);
    before = await tableCounts(workspace);
  });

  it('a missing required column: exit 2, one line naming the file and the column, nothing changed', async () => {
    // Same rows plus a new one, but the amount column renamed: the whole file must be refused.
    const text = fileText(data.transactions, ['c041,2025-06-30 10:00:00,1.00']).replace(
      'customer_id,ts,amount',
      'customer_id,ts,total',
    );
    writeFileSync(transactions, text);
    expectBadInput(cli(['ingest', '--workspace', workspace]), transactions, '"amount"');
    expect(await tableCounts(workspace)).toEqual(before);
  });

  it('the next good ingest after the fix loads the file once', async () => {
    writeFileSync(transactions, fileText(data.transactions));
    const report = ingestJson(workspace);
    expect(sourceOf(report, 'transactions').files[0]!.status).toBe('unchanged');
    expect(await tableCounts(workspace)).toEqual(before);
  });

  it('a file the CSV reader cannot read (not UTF-8): non-zero exit, nothing changed', async () => {
    writeFileSync(transactions, gbkTransactions());
    const run = cli(['ingest', '--workspace', workspace]);
    expect(run.status).not.toBe(0);
    expect(await tableCounts(workspace)).toEqual(before);
  });

  // The read error aborts the transaction; the clear error must survive it (it once became exit 3).
  it('a file the CSV reader cannot read: exit 2 with a one-line message naming the file', () => {
    writeFileSync(transactions, gbkTransactions());
    expectBadInput(cli(['ingest', '--workspace', workspace]), transactions);
  });

  // A guessed CSV dialect once blamed a missing column here; the header is now read first.
  it('a ragged row is reported as such, not as a missing column', () => {
    writeFileSync(transactions, fileText(data.transactions, ['c041,2025-06-30 10:00:00,1.00,extra']));
    const run = cli(['ingest', '--workspace', workspace]);
    expectBadInput(run, transactions);
    expect(run.stderr).not.toContain('missing column');
    expect(run.stderr).toContain('a row has 4 fields, the header has 3');
  });
});

describe('quarantine line numbers point at the row in the file', () => {
  // The reader skips blank lines, so record numbers and line numbers part after one.
  it('a blank line before a bad row does not shift its reported line', async () => {
    const workspace = freshWorkspace();
    const { header, good, bad } = data.transactions;
    const text = `${[header, ...good, '', ...bad.map((b) => b.row)].join('\n')}\n`;
    writeFileSync(join(workspace, 'data', 'transactions.csv'), text);
    ingestJson(workspace);
    const rows = await queryWarehouse(
      workspace,
      "SELECT line FROM quarantine WHERE reason = 'negative_amount'",
    );
    const expected = text.split('\n').findIndex((line) => line.endsWith(',-5.00')) + 1;
    expect(rows).toEqual([{ line: expected }]);
  });
});

/** The transactions file with one product name in GBK bytes, as Excel writes it on a Chinese system. */
function gbkTransactions(): Buffer {
  const header = 'customer_id,ts,amount,product\n';
  const rows = data.transactions.good.slice(0, 20).map((row) => `${row},basic\n`);
  return Buffer.concat([
    Buffer.from(header + rows.join('')),
    Buffer.from('c041,2025-06-30 10:00:00,1.00,'),
    Buffer.from([0xbb, 0xaa, 0xb6, 0xab]),
    Buffer.from('\n'),
  ]);
}

describe('bad configuration', () => {
  const dir = tempDir('churnwatch-config-');

  /** Writes `text` as DIR/NAME and runs ingest with it in a workspace that does not exist yet. */
  function ingestWith(name: string, text: string): { run: CliRun; config: string; workspace: string } {
    const config = join(dir, name);
    writeFileSync(config, text);
    const workspace = join(dir, `ws-${name}`);
    return { run: cli(['ingest', '--workspace', workspace, '--config', config]), config, workspace };
  }

  it('a YAML syntax error: exit 2, the file and its line, and the workspace is not touched', () => {
    const broken = WORKSPACE_CONFIG.replace(
      '  events: { path: data/events.csv }',
      '  events: { path: data/events.csv',
    );
    const line = broken.split('\n').findIndex((l) => l.includes('events: {')) + 1;
    const { run, config, workspace } = ingestWith('syntax.yaml', broken);
    const message = expectBadInput(run, 'YAML syntax error');
    expect(message).toMatch(new RegExp(`${config}:\\d+`));
    const reported = Number(new RegExp(`${config}:(\\d+)`).exec(message)![1]);
    // The parser may notice the unclosed brace on its line or a line or two later, not anywhere else.
    expect(reported).toBeGreaterThanOrEqual(line);
    expect(reported).toBeLessThanOrEqual(line + 2);
    expect(existsSync(workspace)).toBe(false);
  });

  it('an unknown key names it', () => {
    const { run, config } = ingestWith('unknown.yaml', `${WORKSPACE_CONFIG}colour: red\n`);
    expectBadInput(run, config, 'unknown key "colour"');
  });

  it('an unknown key inside a source names the key path', () => {
    const text = WORKSPACE_CONFIG.replace('{ path: data/events.csv }', '{ path: data/events.csv, tz: UTC }');
    const { run, config } = ingestWith('unknown-nested.yaml', text);
    expectBadInput(run, config, 'sources.events', 'unknown key "tz"');
  });

  it('a wrong type names the key path', () => {
    const text = WORKSPACE_CONFIG.replace(
      '{ path: data/events.csv }',
      '{ path: data/events.csv, columns: { ts: 5 } }',
    );
    const { run, config } = ingestWith('type.yaml', text);
    expectBadInput(run, config, 'key sources.events.columns.ts', 'expected a string');
  });

  it('a wrong value of an enum names the key path and the allowed values', () => {
    const { run } = ingestWith('enum.yaml', WORKSPACE_CONFIG.replace('non_contractual', 'sometimes'));
    expectBadInput(run, 'churn.kind', 'non_contractual');
  });

  it('no source at all: exit 2 naming sources', () => {
    const text = WORKSPACE_CONFIG.replace(/^sources:\n(?: {2}.*\n)+/m, 'sources: {}\n');
    expect(text).toContain('sources: {}');
    const { run, config } = ingestWith('no-sources.yaml', text);
    expectBadInput(run, config, 'key sources', 'no source configured');
  });

  it('a config file that does not exist', () => {
    const missing = join(dir, 'nope.yaml');
    expectBadInput(cli(['ingest', '--workspace', join(dir, 'ws-none'), '--config', missing]), missing);
    expect(existsSync(join(dir, 'ws-none'))).toBe(false);
  });

  it('a workspace without churnwatch.yaml', () => {
    const workspace = tempDir();
    expectBadInput(cli(['ingest', '--workspace', workspace]), join(workspace, 'churnwatch.yaml'));
  });

  it('analyze inactivity checks the config and its options the same way', () => {
    const config = join(dir, 'unknown.yaml');
    expectBadInput(
      cli(['analyze', 'inactivity', '--workspace', dir, '--config', config]),
      config,
      'unknown key "colour"',
    );
    expectBadInput(
      cli(['analyze', 'inactivity', '--workspace', dir, '--max-gap-days', '0']),
      '--max-gap-days',
    );
  });
});

describe('analyze inactivity on the ingested data', () => {
  const workspace = freshWorkspace();

  beforeAll(() => {
    ingestJson(workspace);
  });

  it('--json: the return curve, point by point, and the suggested horizon', async () => {
    const run = cli(['analyze', 'inactivity', '--workspace', workspace, '--max-gap-days', '60', '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    const curve = JSON.parse(run.stdout) as InactivityCurve;
    expect(curve.activity).toBe('transactions');
    expect(curve.points.map((p) => p.gapDays)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const at = (k: number) => curve.points[k - 1]!;
    // Everyone bought weekly, so every customer was inactive ≤ 7 days at some point and came back.
    expect(at(7)).toEqual({
      gapDays: 7,
      inactiveCustomers: CUSTOMERS,
      returnedCustomers: CUSTOMERS,
      returnShare: 1,
    });
    // The returners' one 21-day break: 10 of 50 came back.
    expect(at(RETURN_GAP)).toEqual({
      gapDays: RETURN_GAP,
      inactiveCustomers: CUSTOMERS,
      returnedCustomers: RETURNERS,
      returnShare: RETURNERS / CUSTOMERS,
    });
    // Past it only the churners are inactive, and none came back.
    expect(at(RETURN_GAP + 1)).toEqual({
      gapDays: RETURN_GAP + 1,
      inactiveCustomers: CHURNERS,
      returnedCustomers: 0,
      returnShare: 0,
    });
    expect(at(60).inactiveCustomers).toBe(CHURNERS);
    for (let k = 2; k <= 60; k++) {
      expect(at(k).inactiveCustomers).toBeLessThanOrEqual(at(k - 1).inactiveCustomers);
    }
    expect(curve.suggestedHorizonDays).toBe(SUGGESTED_HORIZON);
    expect(curve.rule).toContain('10%');

    const saved = await queryWarehouse(
      workspace,
      'SELECT count(*) AS n, max(gap_days) AS k, any_value(activity) AS activity FROM inactivity_curve',
    );
    expect(saved).toEqual([{ n: 60, k: 60, activity: 'transactions' }]);
  });

  it('without --json: a table of the curve with the suggestion marked', () => {
    const run = cli(['analyze', 'inactivity', '--workspace', workspace, '--max-gap-days', '60']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('activity: transactions');
    expect(lines[1]).toMatch(/^inactive ≥ days\s+customers\s+came back\s+share back$/);
    expect(lines[2]).toMatch(/^[─ ]+$/);
    expect(run.stdout).toMatch(/^7\s+50\s+50\s+100\.0%$/m);
    expect(run.stdout).toMatch(new RegExp(`^${SUGGESTED_HORIZON} ←\\s+40\\s+0\\s+0\\.0%$`, 'm'));
    expect(run.stdout).toMatch(/^30\s+40\s+0\s+0\.0%$/m);
    expect(run.stdout).toContain(`suggested horizon: ${SUGGESTED_HORIZON} days (churn.horizon_days)`);
    expect(run.stdout).toContain('saved as table inactivity_curve');
  });

  it('running it twice replaces the saved curve instead of adding to it', async () => {
    expect(
      cli(['analyze', 'inactivity', '--workspace', workspace, '--max-gap-days', '30', '--json']).status,
    ).toBe(0);
    const saved = await queryWarehouse(workspace, 'SELECT count(*) AS n FROM inactivity_curve');
    expect(saved).toEqual([{ n: 30 }]);
  });
});

describe('analyze inactivity before any ingest', () => {
  it('says to ingest first instead of showing an empty curve without a word', () => {
    const workspace = freshWorkspace();
    const run = cli(['analyze', 'inactivity', '--workspace', workspace]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('no activity in the warehouse yet: run `churnwatch ingest` first');
  });
});
