// The Alerts page in a real browser (Debian's chromium through playwright-core) against the built
// `churnwatch serve` on a demo workspace scored twice (test/browser/alerts-workspace.ts), so the default
// enters-high rule has raised alerts and their webhook messages are dead letters: the inbox lists the new
// alerts with reasons and delivery counts, filters by segment, acknowledging moves an alert to the
// acknowledged tab and closing to the closed one, a dead letter is retried, Chinese switches the labels and
// reasons, the page fits a phone, the customer link opens the 360° view with its tickets and purchases, and a
// viewer sees the alerts without any button to change them. Screenshots go to test-artifacts/screenshots/.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAlerts } from './browser/alerts-workspace.js';
import { launchChromium, screenshotPath } from './browser/chromium.js';
import { buildDemoWorkspace } from './browser/demo-workspace.js';
import { setLanguage, signIn, until, watchErrors } from './browser/page-helpers.js';
import { type ServedWorkspace, serveWorkspace } from './browser/serve-cli.js';

const FIRST_PASSWORD = 'first password of the alerts test';
const ADMIN_PASSWORD = 'a phrase only the owner knows, alerts';
const VIEWER_FIRST = 'a one-time phrase for the alert reader';
const VIEWER_PASSWORD = 'a phrase the alert reader chose';
const CHINESE = /[\u4e00-\u9fff]/;
const ROWS = 'table[data-table="alerts"] tbody tr';

let served: ServedWorkspace;
let browser: BrowserContext;
let page: Page;
let consoleErrors: string[] = [];

beforeAll(async () => {
  // Scored once only: addAlerts scores twice more so that alerts are raised after its channel is set up.
  const workspace = await buildDemoWorkspace(1000, 0);
  await addAlerts(workspace);
  served = await serveWorkspace(workspace, FIRST_PASSWORD);
  browser = await launchChromium();
  page = browser.pages()[0] ?? (await browser.newPage());
  consoleErrors = await watchErrors(page);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (served) expect(await served.stop()).toBe(0);
});

/** The ids of the listed alerts. */
async function alertIds(): Promise<string[]> {
  return page.locator(ROWS).evaluateAll((rows) => rows.map((row) => row.getAttribute('data-alert') ?? ''));
}

async function showStatus(status: 'new' | 'acknowledged' | 'closed'): Promise<void> {
  await page.locator(`fieldset.tabs button[data-status="${status}"]`).click();
  await page.locator(`fieldset.tabs button[data-status="${status}"][aria-pressed="true"]`).waitFor();
  await until(
    page,
    `(() => {
    const rows = [...document.querySelectorAll('${ROWS}')];
    const none = document.querySelector('[data-status="count"]')?.textContent === 'No alerts match.';
    return none || (rows.length > 0 && rows.every((row) => row.getAttribute('data-status') === '${status}'));
  })()`,
  );
}

describe('the Alerts page in chromium', () => {
  it('lists the new alerts with customer, rule, tiers, probabilities, reasons and delivery counts', async () => {
    await page.goto(served.url);
    await signIn(page, 'admin', FIRST_PASSWORD, ADMIN_PASSWORD);
    await page.locator('nav a[data-page="alerts"]').click();
    await page.locator(ROWS).first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/alerts');
    const first = page.locator(ROWS).first();
    expect(await first.getAttribute('data-status')).toBe('new');
    expect(await first.getAttribute('data-tier')).toBe('high');
    expect(await first.locator('td').nth(1).textContent()).toContain('enters-high');
    expect(await first.locator('td').nth(2).textContent()).toMatch(/High risk.*was (Low|Medium) risk/);
    expect(await first.locator('[data-field="probability"]').textContent()).toMatch(/^\d+(\.\d)?%was /);
    expect(await first.locator('[data-field="reasons"]').textContent()).toMatch(/^high risk: /);
    expect(await page.locator('[data-status="count"]').textContent()).toMatch(/^1–\d+ of \d+ alerts$/);
    // The webhook receiver is down and one attempt is allowed: the delivery loop makes the message dead.
    await page.locator('table[data-table="dead-letters"] tbody tr').first().waitFor({ timeout: 20_000 });
    await page.reload();
    await page.locator(ROWS).first().waitFor();
    expect(await page.locator(ROWS).first().locator('[data-field="delivery"]').textContent()).toBe(
      '0 delivered · 0 pending · 1 failed',
    );
    await page.screenshot({ path: screenshotPath('40-alerts-en'), fullPage: true });
  });

  it('filters by segment from /api/segments', async () => {
    const segments = await page.evaluate<string[]>(
      `fetch('/api/segments').then((r) => r.json()).then((b) => b.segments.map((s) => s.segment))`,
    );
    expect(segments.length).toBeGreaterThan(1);
    const options = await page
      .locator('select[name="segment"] option')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('value') ?? ''));
    expect(options).toEqual(['', ...segments]);
    const segment = await page.locator(ROWS).first().getAttribute('data-segment');
    expect(segment).toBeTruthy();
    await page.selectOption('select[name="segment"]', segment!);
    await until(
      page,
      `(() => {
      const rows = [...document.querySelectorAll('${ROWS}')];
      return rows.length > 0 && rows.every((row) => row.getAttribute('data-segment') === ${JSON.stringify(segment)});
    })()`,
    );
    await page.selectOption('select[name="segment"]', '');
    await page.locator(ROWS).first().waitFor();
  });

  it('acknowledging moves an alert to the acknowledged tab, closing to the closed one', async () => {
    const before = await alertIds();
    const id = before[0]!;
    await page.locator(`tr[data-alert="${id}"] button[data-action="ack"]`).click();
    await until(page, `!document.querySelector('tr[data-alert="${id}"]')`);
    expect(await alertIds()).toEqual(before.slice(1));
    await showStatus('acknowledged');
    const acknowledged = page.locator(`tr[data-alert="${id}"]`);
    expect(await acknowledged.getAttribute('data-status')).toBe('acknowledged');
    expect(await acknowledged.textContent()).toContain('acknowledged by admin');
    expect(await acknowledged.locator('button[data-action="ack"]').count()).toBe(0);
    await acknowledged.locator('button[data-action="close"]').click();
    await until(page, `!document.querySelector('tr[data-alert="${id}"]')`);
    await showStatus('closed');
    expect(await page.locator(`tr[data-alert="${id}"]`).getAttribute('data-status')).toBe('closed');
    expect(await page.locator(`tr[data-alert="${id}"] button`).count()).toBe(0);
    await showStatus('new');
  });

  it('retries a dead letter', async () => {
    const row = page.locator('table[data-table="dead-letters"] tbody tr').first();
    const id = await row.getAttribute('data-message');
    await row.locator('button[data-action="retry"]').click();
    await page.locator('[data-status="retry"]').waitFor();
    expect(await page.locator('[data-status="retry"]').textContent()).toBe(`Message ${id} is queued again.`);
    const outbox = await page.evaluate<{ status: string }[]>(
      `fetch('/api/alerts/outbox?limit=200').then((r) => r.json()).then((b) => b.messages.filter((m) => m.id === ${JSON.stringify(id)}))`,
    );
    expect(outbox).toHaveLength(1);
    // Queued again, and (the receiver still down) possibly already dead again.
    expect(['pending', 'dead']).toContain(outbox[0]!.status);
  });

  it('edits the rules: a refused rule shows its error in place, a good one is written to churnwatch.yaml', async () => {
    const panel = page.locator('[data-panel="alert-rules"]');
    await panel.locator('tr[data-rule="enters-high"]').waitFor();
    expect(await panel.locator('tr[data-rule="enters-high"] [data-field="condition"]').textContent()).toBe(
      'enters High risk (or above)',
    );
    await panel.locator('button[data-action="edit-rules"]').click();
    await panel.locator('button[data-action="add-rule"]').click();
    await panel.locator('input[name="name-1"]').fill('Big Jump!');
    await panel.locator('select[name="kind-1"]').selectOption('score_jump');
    await panel.locator('input[name="minIncrease-1"]').fill('25');
    await panel.locator('button[data-action="save-rules"]').click();
    await panel.locator('[data-error-for="rule-1"]').waitFor();
    expect(await panel.locator('[data-error-for="rule-1"]').textContent()).toMatch(/lower-case letters/);
    expect(await panel.locator('[data-error-for="rule-0"]').count()).toBe(0);
    await panel.locator('input[name="name-1"]').fill('big-jump');
    await panel.locator('button[data-action="save-rules"]').click();
    await panel.locator('[data-status="rules-saved"]').waitFor();
    expect(await panel.locator('tr[data-rule="big-jump"] [data-field="condition"]').textContent()).toBe(
      'risk rises by more than 25 points',
    );
    const file = readFileSync(join(served.workspace, 'churnwatch.yaml'), 'utf8');
    expect(file).toMatch(/- name: big-jump\n\s+kind: score_jump\n\s+min_increase: 0.25/);
    expect(file).toContain('crm-hook');
    await page.screenshot({ path: screenshotPath('44-alert-rules-en'), fullPage: true });
  });

  it('speaks Chinese and fits 1280×800 and a phone', async () => {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 1280 ? 800 : 844 });
      for (const locale of ['en', 'zh-CN'] as const) {
        await setLanguage(page, locale);
        await page.goto(`${served.url}/alerts`);
        await page.locator(ROWS).first().waitFor();
        await page.locator('[data-panel="dead-letters"] .panel-head .muted').waitFor();
        if (locale === 'zh-CN') {
          expect(await page.locator('fieldset.tabs button[data-status="new"]').textContent()).toBe('新预警');
          expect(await page.locator(ROWS).first().locator('[data-field="reasons"]').textContent()).toMatch(
            CHINESE,
          );
          expect(await page.locator('section h1').textContent()).toBe('预警');
        }
        const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
        expect(scrollWidth, `alerts at ${width} px in ${locale}`).toBeLessThanOrEqual(width);
        const suffix = width === 1280 ? locale : `phone-${locale}`;
        await page.screenshot({ path: screenshotPath(`41-alerts-${suffix}`), fullPage: true });
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await setLanguage(page, 'en');
  });

  it('opens the customer’s 360° view with its tickets and purchases from an alert', async () => {
    await page.goto(`${served.url}/alerts`);
    const link = page.locator(`${ROWS} a[data-link="customer"]`).first();
    const id = await link.textContent();
    await link.click();
    await page.locator(`section[data-page="customer"][data-customer="${id}"]`).waitFor();
    const view = await page.evaluate<{ tickets: unknown[]; transactions: unknown[] }>(
      `fetch('/api/customers/${id}').then((r) => r.json())`,
    );
    const tickets = page.locator('[data-panel="tickets"]');
    await tickets.locator('h2').waitFor();
    expect(await tickets.locator('h2').textContent()).toBe(`Tickets (${view.tickets.length})`);
    expect(await tickets.locator('tbody tr').count()).toBe(view.tickets.length);
    expect(await page.locator('[data-panel="transactions"] tbody tr').count()).toBe(view.transactions.length);
    await page.locator('[data-chart="scoreHistory"] canvas').first().waitFor();
    await page.screenshot({ path: screenshotPath('42-customer-from-alert-en'), fullPage: true });
  });

  it('shows a viewer the alerts without acknowledge, close or retry buttons', async () => {
    const created = await page.evaluate<number>(`(async () => {
      const csrf = document.cookie.split(';').map((part) => part.trim().split('=')).find(([key]) => key === 'cw_csrf');
      const response = await fetch('/api/users', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': decodeURIComponent(csrf ? csrf[1] : '') },
        body: JSON.stringify({ username: 'viewer1', role: 'viewer', password: ${JSON.stringify(VIEWER_FIRST)} }),
      });
      return response.status;
    })()`);
    expect(created).toBe(201);
    await page.locator('button.logout').click();
    await page.locator('input[name="username"]').waitFor();
    await signIn(page, 'viewer1', VIEWER_FIRST, VIEWER_PASSWORD);
    await page.locator('nav a[data-page="alerts"]').click();
    await page.locator(ROWS).first().waitFor();
    await page.locator('table[data-table="dead-letters"] tbody tr').first().waitFor();
    expect(await page.locator('[data-status="read-only"]').count()).toBe(1);
    expect(await page.locator('button[data-action="ack"]').count()).toBe(0);
    expect(await page.locator('button[data-action="close"]').count()).toBe(0);
    expect(await page.locator('button[data-action="retry"]').count()).toBe(0);
    await page.locator('tr[data-rule="big-jump"]').waitFor();
    expect(await page.locator('button[data-action="edit-rules"]').count()).toBe(0);
    // Masked for a viewer: the names under the customer ids carry asterisks.
    const names = await page.locator(`${ROWS} td:first-child .muted`).first().textContent();
    expect(names).toMatch(/\*/);
    await page.screenshot({ path: screenshotPath('43-alerts-viewer-en'), fullPage: true });

    await page.locator('button.logout').click();
    await page.locator('input[name="username"]').waitFor();
    expect(await page.evaluate<string[]>('window.cspViolations')).toEqual([]);
    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
  });
});
