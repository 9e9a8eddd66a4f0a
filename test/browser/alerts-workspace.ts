// For browser tests: alerts in a scored demo workspace. The demo scores once, and alerts compare a score with
// the previous one, so the workspace is scored 45 days before its scoring date and then at it again; the
// default rule (enters-high) raises alerts for the customers who entered the high tier in between. A webhook
// channel to a closed port with one attempt makes every alert's message a dead letter once `serve` runs.

import { execFile } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../cli-helpers.js';

const run = promisify(execFile);
const main = join(repoRoot, 'dist/cli/main.js');

/** A receiver nobody listens on (the discard port on loopback): every delivery fails at once. */
const DEAD_URL = 'http://127.0.0.1:9/churnwatch-alerts';

/** Adds a dead webhook channel to `workspace`'s churnwatch.yaml and scores twice; resolves with the dates. */
export async function addAlerts(workspace: string): Promise<{ earlier: string; scoredAt: string }> {
  appendFileSync(
    join(workspace, 'churnwatch.yaml'),
    `
alerts:
  channels:
    - { name: crm-hook, kind: webhook, url: '${DEAD_URL}', secret: 'browser test secret', timeout_ms: 1000 }
  delivery: { max_attempts: 1, poll_seconds: 1 }
`,
  );
  const options = { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 };
  const score = async (...extra: string[]) => {
    const { stdout } = await run(
      'node',
      [main, 'score', '--workspace', workspace, '--json', ...extra],
      options,
    );
    const first = JSON.parse(stdout.slice(0, stdout.indexOf('\n'))) as { scored_at: string };
    return first.scored_at;
  };
  const scoredAt = await score();
  const day = new Date(`${scoredAt}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 45);
  const earlier = day.toISOString().slice(0, 10);
  await score('--at', earlier);
  await score('--at', scoredAt);
  return { earlier, scoredAt };
}
