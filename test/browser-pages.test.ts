// The dashboard's data pages in a real browser (Debian's chromium through playwright-core) against the built
// `churnwatch serve` on a scored demo workspace (1,000 customers): the Overview's charts are drawn, the
// at-risk list filters to the high tier and exports CSV, a row opens the customer's 360° view with its score
// history, Chinese switches labels and reasons, the Model page's threshold slider changes the customers
// flagged, the Data page shows loads, quarantine and the return curve, the pages fit a phone, and a viewer
// sees masked phone numbers. Screenshots of every page in both languages go to test-artifacts/screenshots/.

import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath } from './browser/chromium.js';
import { buildDemoWorkspace } from './browser/demo-workspace.js';
import { setLanguage, signIn, until, watchErrors } from './browser/page-helpers.js';
import { type ServedWorkspace, serveWorkspace } from './browser/serve-cli.js';

const FIRST_PASSWORD = 'first password of the pages test';
const ADMIN_PASSWORD = 'a phrase only the owner knows, pages';
const VIEWER_FIRST = 'a one-time phrase for the reader 1';
const VIEWER_PASSWORD = 'a phrase the reader chose herself';
const CHINESE = /[\u4e00-\u9fff]/;

let served: ServedWorkspace;
let browser: BrowserContext;
let page: Page;
let consoleErrors: string[] = [];

beforeAll(async () => {
  const workspace = await buildDemoWorkspace(1000);
  served = await serveWorkspace(workspace, FIRST_PASSWORD);
  browser = await launchChromium();
  page = browser.pages()[0] ?? (await browser.newPage());
  consoleErrors = await watchErrors(page);
});

afterAll(async () => {
  await browser?.close();
  if (served) expect(await served.stop()).toBe(0);
});

async function goTo(pageId: string): Promise<void> {
  await page.locator(`nav a[data-page="${pageId}"]`).click();
}

/** Waits until the chart `name` has drawn on its canvas (some pixel not transparent). */
async function waitForDrawnChart(name: string): Promise<void> {
  await page.locator(`[data-chart="${name}"] canvas`).first().waitFor();
  await until(
    page,
    `(() => {
    const canvas = document.querySelector('[data-chart="${name}"] canvas');
    if (!canvas || canvas.width === 0 || canvas.height === 0) return false;
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let index = 3; index < pixels.length; index += 4) if (pixels[index] !== 0) return true;
    return false;
  })()`,
  );
}

async function legend(name: string): Promise<string[]> {
  return ((await page.locator(`[data-chart="${name}"]`).getAttribute('data-legend')) ?? '').split('|');
}

/** The tiers of the at-risk rows, once the list shows rows of only `tier` (or any when undefined). */
async function rowTiers(): Promise<string[]> {
  return page
    .locator('table[data-table="customers"] tbody tr')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-tier') ?? ''));
}

/** Waits until the text of `selector` is no longer `previous`. */
async function waitForTextChange(selector: string, previous: string | null): Promise<void> {
  await until(
    page,
    `document.querySelector(${JSON.stringify(selector)})?.textContent !== ${JSON.stringify(previous)}`,
  );
}

async function pageWidth(): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth');
}

describe('the dashboard data pages in chromium', () => {
  it('shows the overview with drawn charts, headline figures and top reasons', async () => {
    await page.goto(served.url);
    await signIn(page, 'admin', FIRST_PASSWORD, ADMIN_PASSWORD);
    await waitForDrawnChart('tiers');
    await waitForDrawnChart('reasons');
    expect(await legend('tiers')).toEqual(['High risk', 'Medium risk', 'Low risk']);
    expect(await legend('reasons')).toEqual(['Main reason', 'Among the reasons']);
    expect(await page.locator('[data-metric="churnRate"] .metric-value').textContent()).toMatch(
      /^\d+(\.\d)?%$/,
    );
    expect(await page.locator('[data-metric="rocAuc"] .metric-value').textContent()).toMatch(/^0\.\d+$/);
    // Churn as the business reports it: monthly and annualised rates, revenue retention, cohort curves.
    for (const chart of ['monthly-churn', 'revenue-retention', 'cohorts']) await waitForDrawnChart(chart);
    expect(await legend('revenue-retention')).toEqual([
      'Net revenue retention',
      'Gross revenue retention',
      'Revenue churn',
    ]);
    for (const metric of ['monthlyChurn', 'annualChurn', 'nrr']) {
      expect(await page.locator(`[data-metric="${metric}"] .metric-value`).textContent(), metric).toMatch(
        /^\d+(\.\d)?%$/,
      );
    }
    // The segment filter narrows the tier counts.
    const allNow = await page.locator('[data-metric="atRisk"] .metric-note').textContent();
    await page.locator('select[name="segment"] option[value="enterprise"]').waitFor({ state: 'attached' });
    await page.selectOption('select[name="segment"]', 'enterprise');
    await waitForTextChange('[data-metric="atRisk"] .metric-note', allNow);
    await page.selectOption('select[name="segment"]', '');
    await waitForDrawnChart('tiers');
  });

  it('filters the at-risk list to the high tier, sorts it, exports CSV and opens a customer', async () => {
    await goTo('atRisk');
    await page.locator('table[data-table="customers"] tbody tr').first().waitFor();
    expect(new Set(await rowTiers()).size).toBeGreaterThan(1);
    await page.selectOption('select[name="tier"]', 'high');
    await until(
      page,
      `(() => {
      const rows = [...document.querySelectorAll('table[data-table="customers"] tbody tr')];
      return rows.length > 0 && rows.every((row) => row.getAttribute('data-tier') === 'high');
    })()`,
    );
    const tiers = await rowTiers();
    expect(tiers.length).toBeGreaterThan(0);
    expect(new Set(tiers)).toEqual(new Set(['high']));
    const firstReasons = await page.locator('td[data-field="reasons"]').first().textContent();
    expect(firstReasons).toMatch(/^high risk: /);

    // Export: every row of the filter, masked as the API returns it, named with the date.
    const count = await page.locator('[data-status="count"]').textContent();
    const total = Number(/of (\d+) customers/.exec(count ?? '')?.[1]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('button[data-action="export"]').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^churnwatch-at-risk-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(csv[0]).toMatch(/^Customer,Name,Phone,/);
    expect(csv).toHaveLength(total + 1);
    expect(csv.slice(1).every((line) => line.includes(',high,'))).toBe(true);
    await page.screenshot({ path: screenshotPath('10-at-risk-high-en'), fullPage: true });

    // Sorting by value asks the API again.
    await page.locator('button[data-sort="value"]').click();
    await page.locator('th[aria-sort="descending"] button[data-sort="value"]').waitFor();

    // A row opens the 360° view at /customers/:id.
    const firstRow = page.locator('table[data-table="customers"] tbody tr').first();
    const id = await firstRow.getAttribute('data-customer');
    await firstRow.click();
    await page.locator(`section[data-page="customer"][data-customer="${id}"]`).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/customers/${id}`);
    await waitForDrawnChart('scoreHistory');
    expect(await page.locator('section h1').textContent()).toBe(`Customer ${id}`);
    expect(await page.locator('[data-panel="score"] [data-field="reasons"]').textContent()).toMatch(
      /^high risk: /,
    );
    // The admin reads personal fields unmasked.
    expect(await page.locator('[data-panel="profile"] [data-field="phone"]').textContent()).toMatch(
      /^1\d{10}$/,
    );

    // Reachable by URL too.
    await page.reload();
    await waitForDrawnChart('scoreHistory');
  });

  it('switches the pages, the reasons and the charts to Chinese', async () => {
    await setLanguage(page, 'zh-CN');
    const id = await page.locator('section[data-page="customer"]').getAttribute('data-customer');
    expect(await page.locator('section h1').textContent()).toBe(`客户 ${id}`);
    expect(await page.locator('[data-panel="score"] [data-field="reasons"]').textContent()).toMatch(
      /^高风险：/,
    );
    expect(await page.locator('[data-panel="profile"] h2').textContent()).toBe('客户档案');
    // The timeline is written from its facts: no English words left in Chinese.
    const details = await page
      .locator('[data-panel="timeline"] li')
      .evaluateAll((items) =>
        items.map((item) => [
          item.getAttribute('data-kind'),
          item.querySelector('[data-field="detail"]')?.textContent,
        ]),
      );
    expect(details.length).toBeGreaterThan(0);
    for (const [kind, detail] of details) {
      expect(detail, `${kind}: ${detail}`).not.toMatch(
        /\b(visit|login|page view|open|resolved|satisfaction|voluntary)\b/,
      );
      if (kind === 'event' || kind === 'ticket') expect(detail, `${kind}`).toMatch(CHINESE);
    }
    await goTo('atRisk');
    await page.locator('td[data-field="reasons"]').first().waitFor();
    expect(await page.locator('td[data-field="reasons"]').first().textContent()).toMatch(CHINESE);
    expect(await page.locator('button[data-action="export"]').textContent()).toBe('导出 CSV');
    await goTo('overview');
    await waitForDrawnChart('tiers');
    expect(await legend('tiers')).toEqual(['高风险', '中风险', '低风险']);
    expect(await page.locator('[data-metric="churnRate"] .metric-label').textContent()).toBe('流失率');
    await waitForDrawnChart('revenue-retention');
    expect(await legend('revenue-retention')).toEqual(['净收入留存率', '总收入留存率', '收入流失率']);
    await setLanguage(page, 'en');
  });

  it('moves the Model page’s threshold slider and the customers flagged change', async () => {
    await goTo('model');
    const slider = page.locator('input[name="threshold"]');
    await slider.waitFor();
    await waitForDrawnChart('roc');
    await waitForDrawnChart('pr');
    await waitForDrawnChart('lift');
    await waitForDrawnChart('calibration');
    await waitForDrawnChart('importance');
    expect(await page.locator('table[data-table="metrics"] tbody tr').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('table[data-table="cutoffs"] tr[data-role="test"]').count()).toBe(1);
    const flagged = page.locator('[data-field="flagged"]');
    const before = await flagged.textContent();
    await slider.focus();
    await page.keyboard.press('Home');
    await waitForTextChange('[data-field="flagged"]', before);
    const fewestText = await flagged.textContent();
    const fewest = Number(fewestText?.replace(/,/g, ''));
    await page.keyboard.press('End');
    await waitForTextChange('[data-field="flagged"]', fewestText);
    const most = Number((await flagged.textContent())?.replace(/,/g, ''));
    expect(most).toBeGreaterThan(fewest);
    // The flagged column of the confusion matrix adds up to the customers flagged.
    const cell = async (name: string) =>
      Number((await page.locator(`td[data-cell="${name}"]`).textContent())?.replace(/,/g, ''));
    expect((await cell('tp')) + (await cell('fp'))).toBe(most);
  });

  it('shows loads, quarantine and the return curve on the Data page', async () => {
    await goTo('data');
    await page.locator('table[data-table="loads"] tbody tr').first().waitFor();
    expect(await page.locator('table[data-table="quarantine"] tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('table[data-table="quarantine-examples"] tbody tr').count()).toBeGreaterThan(0);
    await waitForDrawnChart('inactivity');
  });

  it('takes a screenshot of every page in both languages, at 1280×800 and on a phone', async () => {
    const customerPath = await page.evaluate<string>(
      `fetch('/api/customers?tier=high&limit=1').then((r) => r.json()).then((b) => '/customers/' + b.customers[0].id)`,
    );
    const shots: [string, string, string][] = [
      ['overview', '/', 'tiers'],
      ['at-risk', '/at-risk', ''],
      ['customer', customerPath, 'scoreHistory'],
      ['model', '/model', 'importance'],
      ['data', '/data', 'inactivity'],
    ];
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 1280 ? 800 : 844 });
      for (const locale of ['en', 'zh-CN'] as const) {
        await setLanguage(page, locale);
        for (const [name, path, chart] of shots) {
          await page.goto(`${served.url}${path}`);
          if (chart) await waitForDrawnChart(chart);
          else await page.locator('table[data-table="customers"] tbody tr').first().waitFor();
          expect(await pageWidth(), `${name} at ${width} px in ${locale}`).toBeLessThanOrEqual(width);
          const suffix = width === 1280 ? locale : `phone-${locale}`;
          await page.screenshot({ path: screenshotPath(`20-${name}-${suffix}`), fullPage: true });
        }
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await setLanguage(page, 'en');
  });

  it('shows a viewer masked phone numbers, then logs out', async () => {
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
    expect(await page.locator('.role-badge').textContent()).toBe('Viewer');
    await goTo('atRisk');
    await page.locator('td[data-field="phone"]').first().waitFor();
    const phones = await page.locator('td[data-field="phone"]').allTextContents();
    expect(phones.length).toBeGreaterThan(0);
    for (const phone of phones) expect(phone).toMatch(/^(\d{3}\*{4}\d{4}|\*+|—)$/);
    expect(phones.some((phone) => /^\d{3}\*{4}\d{4}$/.test(phone))).toBe(true);
    await page.screenshot({ path: screenshotPath('30-at-risk-viewer-masked-en'), fullPage: true });
    await page.locator('table[data-table="customers"] tbody tr').first().click();
    await page.locator('[data-panel="profile"] [data-field="phone"]').waitFor();
    expect(await page.locator('[data-panel="profile"] [data-field="phone"]').textContent()).toMatch(/\*{4}/);
    expect(await page.locator('[data-panel="profile"] .muted').textContent()).toBe(
      'Personal fields masked for your role',
    );

    await page.locator('button.logout').click();
    await page.locator('input[name="username"]').waitFor();
    expect(await page.evaluate<number>(`fetch('/api/auth/me').then((response) => response.status)`)).toBe(
      401,
    );
    expect(await page.evaluate<string[]>('window.cspViolations')).toEqual([]);
    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
    expect(served.stderr()).toBe('');
  });
});
