// For browser tests: Debian's chromium driven by playwright-core, headless, with a fresh profile each time.
// A missing chromium fails the test with how to install it (`.ci/run` installs it); it is never skipped.

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { repoRoot, tempDir } from '../cli-helpers.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Where the browser tests save their screenshots (git-ignored; CI keeps them as artifacts). */
export const SCREENSHOTS_DIR = join(repoRoot, 'test-artifacts', 'screenshots');

/** Launches chromium with a fresh profile at 1280×800; close the context to stop it. */
export async function launchChromium(): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the browser tests need it. Install it with ` +
        '`sudo apt-get update && sudo apt-get install -y chromium` (.ci/run does this on a fresh machine).',
    );
  }
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  return chromium.launchPersistentContext(tempDir('churnwatch-chromium-'), {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
  });
}

/** The path of the screenshot called `name`. */
export function screenshotPath(name: string): string {
  return join(SCREENSHOTS_DIR, `${name}.png`);
}
