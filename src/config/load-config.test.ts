import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatWhere, InputError } from '../errors.js';
import { EXAMPLE_CONFIG, writeExampleConfig } from './example-config.js';
import { loadConfig, parseConfig } from './load-config.js';

const dir = mkdtempSync(join(tmpdir(), 'churnwatch-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const minimal = `
sources:
  customers: { path: c.csv }
churn: { kind: non_contractual, horizon_days: 90 }
`;

/** The error as the CLI prints it after the file name: `key path: message`. */
function failure(text: string): InputError & { text: string } {
  try {
    parseConfig(text, 'cw.yaml');
  } catch (error) {
    if (error instanceof InputError)
      return Object.assign(error, { text: `${error.where.key}: ${error.message}` });
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('parseConfig', () => {
  it('fills the defaults', () => {
    const config = parseConfig(minimal);
    expect(config.sources.customers).toEqual({ path: 'c.csv', format: 'csv', columns: {} });
    expect(config.churn.activity).toEqual([{ source: 'transactions' }]);
    expect(config.tiers).toEqual({ high: 0.8, medium: 0.5 });
    expect(config.features.windows).toEqual([7, 30, 90]);
    expect(config.test_accounts).toEqual({});
  });

  it('names the key path of a wrong value', () => {
    const bad = failure(`
sources:
  customers: { path: c.csv }
  events: { path: e.csv, columns: { ts: 5 } }
churn: { kind: non_contractual, horizon_days: 90 }
`);
    expect(bad.message).toBe('expected a string');
    expect(formatWhere(bad.where)).toBe('cw.yaml, key sources.events.columns.ts');
    expect(bad.text).toBe('sources.events.columns.ts: expected a string');
    expect(bad.where).toEqual({ file: 'cw.yaml', key: 'sources.events.columns.ts' });
  });

  it('takes action webhooks for campaigns, and names what is wrong with one', () => {
    const hooks = (list: string, alerts = '') => `${minimal}retention:\n  action_webhooks:\n${list}${alerts}`;
    const crm = "    - { name: crm, url: 'https://crm.example.com/actions', secret_env: CRM_SECRET }\n";
    const config = parseConfig(hooks(crm));
    expect(config.retention.action_webhooks).toEqual([
      {
        name: 'crm',
        url: 'https://crm.example.com/actions',
        secret_env: 'CRM_SECRET',
        timeout_ms: 10_000,
        batch_size: 500,
      },
    ]);
    expect(config.retention.retire_below).toBe(0.01);
    expect(failure(hooks("    - { name: crm, url: 'https://x.example.com' }\n")).text).toBe(
      'retention.action_webhooks.0.secret_env: a webhook needs exactly one of secret_env (an environment variable) or secret',
    );
    expect(failure(hooks(crm + crm)).text).toBe(
      'retention.action_webhooks.1.name: "crm" is used twice: names must be unique',
    );
    expect(
      failure(hooks(`${crm.replace('500', '0')}    - { name: b, url: 'ftp://x', secret: s }\n`)).text,
    ).toBe('retention.action_webhooks.1.url: expected an http:// or https:// URL');
    const clash =
      "alerts:\n  channels:\n    - { name: crm, kind: slack, url: 'https://hooks.example.com/x' }\n";
    expect(failure(hooks(crm, clash)).text).toBe(
      'retention.action_webhooks.0.name: "crm" is also the name of a channel in alerts.channels: names must differ',
    );
  });

  it('rejects unknown keys, unknown fields, bad enums, missing keys and bad numbers', () => {
    expect(failure(`${minimal}colour: red\n`).text).toBe('(top level): unknown key "colour"');
    expect(failure(minimal.replace('{ path: c.csv }', '{ path: c.csv, columns: { cust: id } }')).text).toBe(
      'sources.customers.columns: unknown key "cust"',
    );
    expect(failure(minimal.replace('non_contractual', 'sometimes')).text).toMatch(
      /^churn.kind: expected one of "contractual", "non_contractual", "partial"$/,
    );
    expect(failure(minimal.replace('horizon_days: 90', 'horizon_days: 0')).text).toBe(
      'churn.horizon_days: expected a number > 0',
    );
    expect(failure(minimal.replace('horizon_days: 90', 'horizon_days: 1.5')).text).toBe(
      'churn.horizon_days: expected a whole number',
    );
    expect(failure('churn: { kind: contractual, horizon_days: 30 }\n').text).toBe(
      'sources: missing (expected an object)',
    );
    expect(failure(minimal.replace('non_contractual', 'partial')).text).toBe(
      'churn.partial_threshold: required when kind is partial (e.g. 0.5)',
    );
    expect(failure(`${minimal}tiers: { high: 0.4, medium: 0.6 }\n`).text).toBe(
      'tiers.medium: medium must be below high',
    );
    expect(failure(minimal.replace('{ path: c.csv }', '{ path: c.csv, time_zone: Mars/Olympus }')).text).toBe(
      'sources.customers.time_zone: expected an IANA time zone such as Asia/Shanghai',
    );
  });

  it('accepts top-k tiers, partial churn and event activity', () => {
    const config = parseConfig(`
sources:
  customers: { path: c.csv, format: parquet, time_zone: Asia/Shanghai }
churn:
  kind: partial
  horizon_days: 30
  partial_threshold: 0.5
  activity: [{ source: events, event_types: [login] }, { source: transactions }]
tiers: { top_k_percent: { high: 5, medium: 15 } }
test_accounts: { id_pattern: '^test_', flag_column: is_test }
`);
    expect(config.tiers).toEqual({ top_k_percent: { high: 5, medium: 15 } });
    expect(config.churn.activity[0]).toEqual({ source: 'events', event_types: ['login'] });
  });

  it('takes any source alone: customers are optional', () => {
    const config = parseConfig(`
sources:
  transactions:
    path: data/cdnow_transactions.csv
    columns: { ts: date, amount: dollar_value }
    duplicates: keep
churn: { kind: non_contractual, horizon_days: 90, active_within_days: 365 }
`);
    expect(config.sources.customers).toBeUndefined();
    expect(config.sources.transactions).toEqual({
      path: 'data/cdnow_transactions.csv',
      format: 'csv',
      columns: { ts: 'date', amount: 'dollar_value' },
      duplicates: 'keep',
    });
  });

  it('needs at least one source, and a customers source for the test-account flag column', () => {
    expect(failure('sources: {}\nchurn: { kind: non_contractual, horizon_days: 90 }\n').text).toBe(
      'sources: no source configured: name at least one of customers, events, transactions, tickets, cancellations',
    );
    const transactionsOnly =
      'sources:\n  transactions: { path: t.csv }\nchurn: { kind: non_contractual, horizon_days: 90 }\n';
    expect(failure(`${transactionsOnly}test_accounts: { flag_column: is_test }\n`).text).toBe(
      'test_accounts.flag_column: names a column of the customers file, but there is no sources.customers',
    );
    expect(parseConfig(`${transactionsOnly}test_accounts: { id_pattern: '^test_' }\n`).test_accounts).toEqual(
      {
        id_pattern: '^test_',
      },
    );
  });

  it('takes duplicates (quarantine or keep) on the fact sources only', () => {
    expect(failure(minimal.replace('{ path: c.csv }', '{ path: c.csv, duplicates: keep }')).text).toBe(
      'sources.customers: unknown key "duplicates"',
    );
    expect(
      failure(`${minimal.replace('sources:\n', 'sources:\n  events: { path: e.csv, duplicates: drop }\n')}`)
        .text,
    ).toBe('sources.events.duplicates: expected one of "quarantine", "keep"');
  });

  it('reports YAML syntax errors with line and column', () => {
    const error = failure('sources:\n  customers: { path: c.csv\nchurn: 1\n');
    expect(error.message).toMatch(/^YAML syntax error at column \d+: /);
    expect(formatWhere(error.where)).toMatch(/^cw.yaml:\d+$/);
    expect(error.where.file).toBe('cw.yaml');
    expect(error.where.row).toBeGreaterThan(0);
  });
});

describe('loadConfig and writeExampleConfig', () => {
  it('the example is valid, and paths resolve against the config folder', () => {
    const path = join(dir, 'ws', 'churnwatch.yaml');
    writeExampleConfig(path);
    expect(readFileSync(path, 'utf8')).toBe(EXAMPLE_CONFIG);
    const config = loadConfig(path);
    expect(config.sources.customers?.path).toBe(join(dir, 'ws', 'data', 'customers.csv'));
    expect(config.test_accounts.id_pattern).toBe('^(test|demo)_');
  });

  it('refuses to overwrite without force', () => {
    const path = join(dir, 'exists.yaml');
    writeFileSync(path, 'mine');
    expect(() => writeExampleConfig(path)).toThrow('exists already (use --force to overwrite it)');
    expect(readFileSync(path, 'utf8')).toBe('mine');
    writeExampleConfig(path, { force: true });
    expect(readFileSync(path, 'utf8')).toBe(EXAMPLE_CONFIG);
  });

  it('names a missing file', () => {
    expect(() => loadConfig(join(dir, 'none.yaml'))).toThrow(/cannot read the configuration/);
  });
});
