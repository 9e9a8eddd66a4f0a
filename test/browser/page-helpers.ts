// For browser tests: what every dashboard test does with its page — collect console errors and CSP
// violations, sign in (through the forced password change), switch the language, and wait for a condition
// (polled: page.waitForFunction re-evaluates a string with eval inside the page, which the dashboard's
// Content-Security-Policy refuses).

import type { Page } from 'playwright-core';

/** Collects the page's console errors and uncaught errors, and records CSP violations in window.cspViolations. */
export async function watchErrors(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(message.text());
    }
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  await page.addInitScript(`
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
    });
  `);
  return errors;
}

/** Signs in on the login page; with `newPassword`, also through the forced change of a one-time password. */
export async function signIn(
  page: Page,
  username: string,
  password: string,
  newPassword?: string,
): Promise<void> {
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  if (newPassword) {
    await page.locator('input[name="currentPassword"]').fill(password);
    await page.locator('input[name="newPassword"]').fill(newPassword);
    await page.locator('input[name="repeatPassword"]').fill(newPassword);
    await page.locator('button[type="submit"]').click();
  }
  await page.locator('header.topbar').waitFor();
}

/** Switches the dashboard's language and waits until the page says it has. */
export async function setLanguage(page: Page, locale: 'en' | 'zh-CN'): Promise<void> {
  await page.locator(`button[data-locale="${locale}"]`).click();
  await until(page, `document.documentElement.lang === '${locale}'`);
}

/** Polls `expression` in the page until it is true; fails after `seconds`. */
export async function until(page: Page, expression: string, seconds = 15): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await page.evaluate<boolean>(expression))) {
    if (Date.now() > deadline) throw new Error(`still false after ${seconds} s: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
