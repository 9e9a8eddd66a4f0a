// The dashboard in a real browser (Debian's chromium through playwright-core) against the built
// `churnwatch serve` on a fresh workspace: a bad password is refused, the first admin logs in and must
// change the one-time password, sees the layout and its role, an empty at-risk list, switches to Chinese and
// back (remembered across a reload), fits a phone-width screen, and logs out. Screenshots go to
// test-artifacts/screenshots/.

import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath } from './browser/chromium.js';
import { type ServedWorkspace, serveFreshWorkspace } from './browser/serve-cli.js';

const FIRST_PASSWORD = 'first password from the environment';
const NEW_PASSWORD = 'a phrase only the owner knows';
const NAV_EN = ['Overview', 'At-risk', 'Alerts', 'Customers', 'Strategies', 'Campaigns', 'Model', 'Data'];
const NAV_ZH = ['概览', '风险客户', '预警', '客户', '策略库', '营销活动', '模型', '数据'];

let served: ServedWorkspace;
let browser: BrowserContext;
let page: Page;
/** Console errors other than failed loads (a 401 before login, a 404 for a missing API, are expected). */
const consoleErrors: string[] = [];

beforeAll(async () => {
  served = await serveFreshWorkspace(FIRST_PASSWORD);
  browser = await launchChromium();
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      consoleErrors.push(message.text());
    }
  });
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
  // Records Content-Security-Policy violations, which the console may not show in full.
  await page.addInitScript(`
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
    });
  `);
});

afterAll(async () => {
  await browser?.close();
  if (served) expect(await served.stop()).toBe(0);
});

async function navTexts(): Promise<string[]> {
  return page.locator('nav a').allTextContents();
}

async function cspViolations(): Promise<string[]> {
  return page.evaluate<string[]>('window.cspViolations');
}

async function signIn(username: string, password: string): Promise<void> {
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
}

describe('the dashboard in chromium', () => {
  it('serves the login page under a same-origin Content-Security-Policy and refuses a bad password', async () => {
    const response = await page.goto(served.url);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('input[name="username"]').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Sign in');

    await signIn('admin', 'not the right password');
    const alert = page.locator('[role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Wrong username or password.');
    await page.screenshot({ path: screenshotPath('01-login-bad-password'), fullPage: true });
  });

  it('logs in, forces the first password change, shows the layout, switches language, and logs out', async () => {
    await signIn('admin', FIRST_PASSWORD);
    await page.locator('#password-title').waitFor();
    expect(await page.locator('#password-title').textContent()).toBe('Choose your own password');
    await page.screenshot({ path: screenshotPath('02-password-change'), fullPage: true });
    await page.locator('input[name="currentPassword"]').fill(FIRST_PASSWORD);
    await page.locator('input[name="newPassword"]').fill(NEW_PASSWORD);
    await page.locator('input[name="repeatPassword"]').fill(NEW_PASSWORD);
    await page.locator('button[type="submit"]').click();

    // The layout: header with the user and role, navigation, the Overview with its chart or empty state.
    await page.locator('header.topbar').waitFor();
    expect(await navTexts()).toEqual(NAV_EN);
    expect(await page.locator('.role-badge').textContent()).toBe('Administrator');
    expect(await page.locator('.user-name').textContent()).toBe('Signed in as admin');
    await page.locator('[data-chart="tiers"], [data-empty="tiers"]').first().waitFor();
    await page.screenshot({ path: screenshotPath('03-overview-en'), fullPage: true });

    // The at-risk page: routed on the client; a fresh workspace has no scores, so it lists nobody.
    await page.locator('nav a[data-page="atRisk"]').click();
    const status = page.locator('section[data-page="atRisk"] [data-status="count"]');
    await status.waitFor();
    expect(new URL(page.url()).pathname).toBe('/at-risk');
    expect(await page.locator('nav a[aria-current="page"]').textContent()).toBe('At-risk');
    expect(await status.textContent()).toBe('No customers match.');

    // Chinese: every label changes, and the choice survives a reload.
    await page.locator('button[data-locale="zh-CN"]').click();
    await page.waitForFunction(`document.documentElement.lang === 'zh-CN'`);
    expect(await navTexts()).toEqual(NAV_ZH);
    expect(await page.locator('.role-badge').textContent()).toBe('管理员');
    expect(await page.locator('button.logout').textContent()).toBe('退出登录');
    expect(await page.locator('section h1').textContent()).toBe('风险客户');
    expect(await status.textContent()).toBe('没有符合条件的客户。');
    await page.screenshot({ path: screenshotPath('04-at-risk-zh-CN'), fullPage: true });

    await page.reload();
    await status.waitFor();
    expect(await navTexts()).toEqual(NAV_ZH);

    // A phone-width screen: navigation above the content, nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('nav a[data-page="overview"]').click();
    await page.locator('[data-chart="tiers"], [data-empty="tiers"]').first().waitFor();
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(overflow).toBeLessThanOrEqual(390);
    const nav = await page.locator('nav').boundingBox();
    const content = await page.locator('main.content').boundingBox();
    expect(nav && content && nav.y < content.y).toBe(true);
    await page.screenshot({ path: screenshotPath('05-overview-phone-zh-CN'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });

    // Back to English.
    await page.locator('button[data-locale="en"]').click();
    await page.waitForFunction(`document.documentElement.lang === 'en'`);
    expect(await navTexts()).toEqual(NAV_EN);
    expect(await page.locator('section h1').textContent()).toBe('Overview');

    // Log out: the login page again, and the session is gone on the server.
    await page.locator('button.logout').click();
    await page.locator('input[name="username"]').waitFor();
    const me = await page.evaluate<number>(`fetch('/api/auth/me').then((response) => response.status)`);
    expect(me).toBe(401);
    await page.screenshot({ path: screenshotPath('06-logged-out'), fullPage: true });

    expect(await cspViolations()).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(served.stderr()).toBe('');
  });
});
