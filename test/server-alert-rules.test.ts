// Alert rules edited over the API are written back to the workspace's churnwatch.yaml: the rest of the file
// (comments included) is kept, the whole file must still validate (a rule a channel names cannot go), the
// change is audited, only admins and analysts may make it, and a workspace without a file answers 409.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../src/security/audit-log.js';
import {
  addUser,
  errorOf,
  signedInClient,
  startTestServer,
  type TestServer,
} from '../src/server/testing/test-server.js';
import { tempDir } from './cli-helpers.js';

const PASSWORD = 'alert rules password 1';
const CONFIG = `# The shop's settings: kept by hand.
sources:
  events: { path: data/events.csv }
churn:
  kind: non_contractual
  horizon_days: 60
alerts:
  quiet_days: 3 # a short quiet period
  channels:
    - { name: crm, kind: webhook, url: 'http://127.0.0.1:9/hook', secret: s, rules: [enters-high] }
`;

let server: TestServer;
let workspace: string;

/** A client signed in as a new user of `role`. */
async function as(role: 'admin' | 'analyst' | 'operator' | 'viewer') {
  return (await signedInClient(server, role, PASSWORD)).client;
}

beforeAll(async () => {
  workspace = tempDir('churnwatch-rules-');
  writeFileSync(join(workspace, 'churnwatch.yaml'), CONFIG);
  server = await startTestServer({ workspace });
});
afterAll(() => server.close());

describe('alert rules over the API', () => {
  it('reads the built-in rules when the file names none', async () => {
    const response = await (await as('viewer')).request('GET', '/api/alerts/rules');
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({
      rules: [{ name: 'enters-high', kind: 'enters_tier', tier: 'high', first_score: false }],
      defaults: true,
    });
  });

  it('writes an analyst’s rules into churnwatch.yaml, keeping the rest of the file, and audits it', async () => {
    const rules = [
      { name: 'enters-high', kind: 'enters_tier', tier: 'high' },
      { name: 'big-jump', kind: 'score_jump', min_increase: 0.25, segments: ['vip'], quiet_days: 14 },
      { name: 'valuable', kind: 'high_value_threshold', min_value: 5000, probability: 0.4 },
    ];
    const saved = await (await as('analyst')).request('PUT', '/api/alerts/rules', { json: { rules } });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body).toMatchObject({
      defaults: false,
      rules: [{ first_score: false }, {}, { value_days: 90 }],
    });
    const text = readFileSync(join(workspace, 'churnwatch.yaml'), 'utf8');
    expect(text).toContain("# The shop's settings: kept by hand.");
    expect(text).toContain('quiet_days: 3 # a short quiet period');
    expect(text).toContain(
      "    - { name: crm, kind: webhook, url: 'http://127.0.0.1:9/hook', secret: s, rules: [ enters-high ] }",
    );
    expect(text).toMatch(
      /- name: big-jump\n\s+kind: score_jump\n\s+segments:\n\s+- vip\n\s+quiet_days: 14\n\s+min_increase: 0.25\n/,
    );
    const read = await (await as('operator')).request('GET', '/api/alerts/rules');
    expect((read.body as { rules: { name: string }[] }).rules.map((r) => r.name)).toEqual([
      'enters-high',
      'big-jump',
      'valuable',
    ]);
    const [entry] = await listAudit(server.warehouse, { limit: 1, action: 'alert-rules.update' });
    expect(entry).toMatchObject({ action: 'alert-rules.update' });
    expect(JSON.stringify(entry?.detail)).toContain('big-jump');
  });

  it('refuses what would break the file, bad values, and roles that may not configure', async () => {
    const before = readFileSync(join(workspace, 'churnwatch.yaml'), 'utf8');
    const analyst = await as('analyst');
    // The crm channel names enters-high: removing it would leave the channel pointing at nothing.
    const orphan = await analyst.request('PUT', '/api/alerts/rules', {
      json: { rules: [{ name: 'big-jump', kind: 'score_jump', min_increase: 0.2 }] },
    });
    expect(orphan.status).toBe(400);
    expect(errorOf(orphan)).toMatchObject({ code: 'invalid_rules', where: 'body.channels[0].rules[0]' });
    expect(errorOf(orphan).message).toMatch(/no rule named "enters-high"/);
    const twice = await analyst.request('PUT', '/api/alerts/rules', {
      json: {
        rules: [
          { name: 'enters-high', kind: 'enters_tier', tier: 'high' },
          { name: 'enters-high', kind: 'enters_tier', tier: 'medium' },
        ],
      },
    });
    expect(errorOf(twice)).toMatchObject({ code: 'invalid_rules', where: 'body.rules[1].name' });
    const bad = await analyst.request('PUT', '/api/alerts/rules', {
      json: { rules: [{ name: 'jump', kind: 'score_jump', min_increase: 2 }] },
    });
    expect(bad.status).toBe(400);
    expect(errorOf(bad).where).toBe('body.rules[0].min_increase');
    const operator = await (await as('operator')).request('PUT', '/api/alerts/rules', {
      json: { rules: [] },
    });
    expect(operator.status).toBe(403);
    expect(readFileSync(join(workspace, 'churnwatch.yaml'), 'utf8')).toBe(before);
  });

  it('answers 409 in a workspace without churnwatch.yaml', async () => {
    const bare = await startTestServer({ workspace: tempDir('churnwatch-no-config-') });
    try {
      const user = await addUser(bare.warehouse, 'admin1', 'admin', PASSWORD);
      const client = bare.client();
      await client.login(user.username, PASSWORD);
      const response = await client.request('GET', '/api/alerts/rules');
      expect(response.status).toBe(409);
      expect(errorOf(response).code).toBe('no_config');
    } finally {
      await bare.close();
    }
  });
});
