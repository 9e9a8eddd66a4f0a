// The uplift-models panel of the Campaigns page in a real browser (Debian's chromium through playwright-core)
// against the built `churnwatch serve` on a fresh workspace: with no measured campaign it says when models
// appear, in English and Chinese; then, with GET /api/uplift answered by a fixture whose figures come from the
// server's own metric functions (typed by the server's report type), it shows a kind without a model (the
// server's reason and the counts), a kind served by churn cause and one served by the T-learner: their
// estimator tables and Qini charts, in both languages and at phone width. A measured demo history with a
// trained kind would need months of play on a large demo; the real skipped kind is checked in
// browser-retention.test.ts and the API's answer in demo-play.test.ts.
// Screenshots go to test-artifacts/screenshots/.

import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../src/ml/random.js';
import { qiniCurve, qiniWinShare, upliftAtK } from '../src/retention/uplift-metrics.js';
import type { UpliftEstimator, UpliftKindReport, UpliftModels } from '../src/retention/uplift-model.js';
import { launchChromium, screenshotPath } from './browser/chromium.js';
import { setLanguage, signIn, until, watchErrors } from './browser/page-helpers.js';
import { type ServedWorkspace, serveFreshWorkspace } from './browser/serve-cli.js';

const FIRST_PASSWORD = 'first password of the uplift test';
const ADMIN_PASSWORD = 'a phrase only the owner knows, uplift';
const PANEL = 'section[data-page="campaigns"] [data-panel="uplift"]';

let served: ServedWorkspace;
let browser: BrowserContext;
let page: Page;
let consoleErrors: string[] = [];

beforeAll(async () => {
  served = await serveFreshWorkspace(FIRST_PASSWORD);
  browser = await launchChromium();
  page = browser.pages()[0] ?? (await browser.newPage());
  consoleErrors = await watchErrors(page);
});

afterAll(async () => {
  await browser?.close();
  if (served) expect(await served.stop()).toBe(0);
});

/**
 * One action kind's report as the server builds it (UPLIFT_K, 10 Qini bins, the same bootstrap), on 800
 * synthetic members half treated: the action lowers churn most for customers with a high hidden `need`; the
 * `better` estimator's score follows that need closely, the other's barely.
 */
function trainedKind(actionKind: string, better: UpliftEstimator, seed: number): UpliftKindReport {
  const random = new Random(seed);
  const n = 800;
  const treated = new Uint8Array(n);
  const churned = new Uint8Array(n);
  const scores: Record<UpliftEstimator, Float64Array> = {
    cause_mix: new Float64Array(n),
    t_learner: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const need = random.next();
    treated[i] = i % 2;
    const churnRate = 0.15 + 0.3 * need - (treated[i] === 1 ? 0.25 * need : 0);
    churned[i] = random.next() < churnRate ? 1 : 0;
    scores[better][i] = need + 0.1 * random.next();
    scores[better === 'cause_mix' ? 't_learner' : 'cause_mix'][i] = 0.2 * need + random.next();
  }
  const counts = { treated: 0, control: 0, treatedChurned: 0, controlChurned: 0 };
  for (let i = 0; i < n; i++) {
    if (treated[i] === 1) {
      counts.treated++;
      counts.treatedChurned += churned[i]!;
    } else {
      counts.control++;
      counts.controlChurned += churned[i]!;
    }
  }
  const estimators = (['cause_mix', 't_learner'] as const).map((estimator) => ({
    estimator,
    upliftAtK: [0.1, 0.2, 0.3].map((k) => upliftAtK(scores[estimator], treated, churned, k)),
    qini: qiniCurve(scores[estimator], treated, churned, 10),
    winShare:
      estimator === 'cause_mix' ? null : qiniWinShare(scores.cause_mix, scores.t_learner, treated, churned),
  }));
  const servedEstimator = estimators.find((e) => e.winShare !== null && e.winShare >= 0.95) ?? estimators[0]!;
  return {
    actionKind,
    status: 'trained',
    counts,
    heldOut: n,
    estimator: servedEstimator.estimator,
    upliftAtK: servedEstimator.upliftAtK,
    qini: servedEstimator.qini,
    estimators,
  };
}

const SKIPPED: UpliftKindReport = {
  actionKind: 'discount',
  status: 'skipped',
  reason:
    '180 treated members with a measured outcome, 9 churned; at least 200 and 20 churned per arm are needed',
  counts: { treated: 180, control: 1234, treatedChurned: 9, controlChurned: 31 },
};
const COUPON = trainedKind('coupon', 'cause_mix', 3);
const SERVICE_CALL = trainedKind('service_call', 't_learner', 5);
const FIXTURE: Omit<UpliftModels, 'uplift'> = {
  modelVersion: 2,
  members: 2 * 800 + 180 + 1234,
  scoredAt: '2027-01-01',
  kinds: [COUPON, SKIPPED, SERVICE_CALL],
};

/** A figure as the dashboard writes it in English. */
const points = (share: number) =>
  `${new Intl.NumberFormat('en', { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(share * 100)} pp`;
const coefficient = (value: number) =>
  new Intl.NumberFormat('en', {
    minimumFractionDigits: 4,
    maximumFractionDigits: 4,
    signDisplay: 'exceptZero',
  }).format(value);

async function text(selector: string): Promise<string> {
  return (await page.locator(selector).first().textContent()) ?? '';
}

async function fitsWidth(width: number): Promise<void> {
  const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
  expect(scrollWidth).toBeLessThanOrEqual(width);
}

describe('the uplift models on the Campaigns page', () => {
  it('says when models appear while no campaign is measured, in English and Chinese', async () => {
    await page.goto(served.url);
    await signIn(page, 'admin', FIRST_PASSWORD, ADMIN_PASSWORD);
    await page.locator('nav a[data-page="campaigns"]').click();
    await page.locator(`${PANEL} [data-status="uplift-empty"]`).waitFor();
    expect(await text(`${PANEL} h2`)).toBe('Uplift models');
    expect(await text(`${PANEL} [data-status="uplift-empty"]`)).toBe(
      'No uplift model yet: models appear once a campaign’s churn horizon has passed and its treated and control customers can be measured.',
    );
    expect(await page.locator(`${PANEL} [data-status="uplift-members"]`).count()).toBe(0);
    await page.screenshot({ path: screenshotPath('61-uplift-empty-en'), fullPage: true });

    await setLanguage(page, 'zh-CN');
    expect(await text(`${PANEL} h2`)).toBe('提升模型');
    expect(await text(`${PANEL} [data-status="uplift-empty"]`)).toMatch(/^暂无提升模型：/);
    await setLanguage(page, 'en');
  });

  it('shows a kind without a model and two trained kinds with their estimates and Qini curves', async () => {
    // The synthetic members make the better estimator win: the served one differs between the two kinds.
    expect(COUPON).toMatchObject({ status: 'trained', estimator: 'cause_mix' });
    expect(SERVICE_CALL).toMatchObject({ status: 'trained', estimator: 't_learner' });
    await page.route('**/api/uplift', (route) => route.fulfill({ json: FIXTURE }));
    await page.reload();
    await page.locator(`${PANEL} [data-kind="service_call"] [data-chart="qini"] canvas`).waitFor();
    expect(
      await page
        .locator(`${PANEL} [data-kind]`)
        .evaluateAll((kinds) =>
          kinds.map((kind) => [kind.getAttribute('data-kind'), kind.getAttribute('data-status')]),
        ),
    ).toEqual([
      ['coupon', 'trained'],
      ['discount', 'skipped'],
      ['service_call', 'trained'],
    ]);
    expect(await text(`${PANEL} [data-status="uplift-members"]`)).toBe(
      '3,014 campaign members with a measured outcome · uplift for the customers scored on January 1, 2027',
    );

    // No model: the server's reason as sent (English), the counts in the page's language.
    const discount = `${PANEL} [data-kind="discount"]`;
    expect(await text(`${discount} h3`)).toBe('DiscountNo model yet');
    expect(await text(`${discount} [data-field="reason"]`)).toBe(
      `Too little measured history: ${SKIPPED.reason}`,
    );
    expect(await page.locator(`${discount} [data-field="reason"] span`).getAttribute('lang')).toBe('en');
    expect(await text(`${discount} [data-field="counts"]`)).toBe(
      'Measured members: 180 treated (9 churned), 1,234 control (31 churned).',
    );

    // Served by churn cause: both estimates' figures, the served one marked, the default's win share a baseline.
    const coupon = `${PANEL} [data-kind="coupon"]`;
    expect(await text(`${coupon} h3`)).toBe('CouponModel in use');
    expect(await page.locator(`${coupon} [data-field="served"]`).getAttribute('data-estimator')).toBe(
      'cause_mix',
    );
    expect(await text(`${coupon} [data-field="served"]`)).toMatch(/^Uplift is estimated by churn cause: /);
    expect(await text(`${coupon} [data-field="judged"]`)).toBe(
      `Judged on 800 members, each by models not fitted on them. Measured members: 400 treated (${COUPON.counts.treatedChurned} churned), 400 control (${COUPON.counts.controlChurned} churned).`,
    );
    const table = `${coupon} table[data-table="uplift-estimators"]`;
    expect(await page.locator(`${table} thead th`).allTextContents()).toEqual([
      'Estimate',
      'Qini coefficient',
      'Churn lowered, top 10%',
      'Churn lowered, top 20%',
      'Churn lowered, top 30%',
      'Win share',
    ]);
    const rows = await page
      .locator(`${table} tbody tr`)
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.getAttribute('data-estimator'),
          tr.getAttribute('data-served'),
          ...[...tr.children].map((cell) => cell.textContent),
        ]),
      );
    const [causeMix, tLearner] = COUPON.status === 'trained' ? COUPON.estimators : [];
    const figures = (entry: typeof causeMix) => [
      coefficient(entry!.qini.coefficient),
      ...entry!.upliftAtK.map((k) => points(k.uplift!)),
    ];
    expect(rows).toEqual([
      ['cause_mix', 'true', 'By churn causein use', ...figures(causeMix), 'baseline'],
      [
        't_learner',
        'false',
        'Two-model (T-learner)',
        ...figures(tLearner),
        `${Math.round(tLearner!.winShare! * 100)}%`,
      ],
    ]);
    // The better estimator puts the customers the action helps first: more churn lowered than random.
    expect(causeMix!.qini.coefficient).toBeGreaterThan(0);
    expect(causeMix!.upliftAtK[0]!.uplift!).toBeGreaterThan(causeMix!.qini.points.at(-1)!.gain);
    expect(await page.locator(`${coupon} [data-chart="qini"]`).getAttribute('data-legend')).toBe(
      'By churn cause|Two-model (T-learner)|Random targeting',
    );
    expect(await page.locator(`${coupon} [data-chart="qini"]`).getAttribute('aria-label')).toBe(
      'Qini curves for Coupon: churns prevented per 100 treated customers against the share of customers targeted',
    );

    // Served by the T-learner once it wins in at least 95% of the resamples.
    const call = `${PANEL} [data-kind="service_call"]`;
    expect(await text(`${call} [data-field="served"]`)).toMatch(
      /^Uplift is estimated by two churn models \(T-learner\)/,
    );
    expect(await page.locator(`${call} tr[data-served="true"]`).getAttribute('data-estimator')).toBe(
      't_learner',
    );
    expect(await text(`${call} tr[data-estimator="t_learner"] [data-field="win-share"]`)).toMatch(
      /^(9[5-9]|100)%$/,
    );
    await page.screenshot({ path: screenshotPath('62-uplift-models-en'), fullPage: true });
  });

  it('speaks Chinese and fits a phone', async () => {
    await setLanguage(page, 'zh-CN');
    const coupon = `${PANEL} [data-kind="coupon"]`;
    expect(await text(`${coupon} h3`)).toBe('优惠券模型使用中');
    expect(await text(`${coupon} [data-field="served"]`)).toMatch(/^提升按流失原因估计：/);
    expect(await text(`${PANEL} [data-kind="discount"] [data-field="counts"]`)).toBe(
      '已测量成员：干预组 180 人（流失 9 人），对照组 1,234 人（流失 31 人）。',
    );
    expect(
      await page.locator(`${coupon} table[data-table="uplift-estimators"] thead th`).allTextContents(),
    ).toEqual(['估计方法', 'Qini 系数', '前 10% 流失降幅', '前 20% 流失降幅', '前 30% 流失降幅', '胜出比例']);
    expect(await text(`${coupon} tr[data-estimator="cause_mix"] [data-field="uplift-10"]`)).toMatch(
      / 个百分点$/,
    );
    await page.locator(`${coupon} [data-chart="qini"] canvas`).waitFor();
    expect(await page.locator(`${coupon} [data-chart="qini"]`).getAttribute('data-legend')).toBe(
      '按流失原因|双模型（T-learner）|随机选择',
    );
    await page.screenshot({ path: screenshotPath('63-uplift-models-zh'), fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    // The charts resize on the window's resize event, a frame or more after the viewport changes.
    await until(page, 'document.documentElement.scrollWidth <= 390', 10).catch(() => undefined);
    await fitsWidth(390);
    await page.screenshot({ path: screenshotPath('64-uplift-models-phone-zh'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await setLanguage(page, 'en');
    await page.unroute('**/api/uplift');

    expect(await page.evaluate<string[]>('window.cspViolations')).toEqual([]);
    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
  });
});
