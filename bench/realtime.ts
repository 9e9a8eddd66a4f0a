// The real-time path (R1): events → new score visible, while ~500 events/s arrive. A server over the demo
// workspace runs in a child process on 127.0.0.1 (as `churnwatch serve` would, with an API token made for the
// run); this process sends batches of events at the target rate for the duration and, for one customer of
// every --track-every batches, polls GET /api/customers/:id/score every --poll-ms until its row is rewritten.
// Prints p50/p99 of that latency and the throughput of large batches (rows/s stored).
//
//   npm run build && node dist/cli/main.js demo --workspace /tmp/demo-w --json   (20,000 customers; no serving)
//   npx tsx bench/realtime.ts --workspace /tmp/demo-w [--rate 500] [--seconds 20] [--batch-ms 100]
//
// Events are sent in batches every --batch-ms (100 ms: 50 events a request at 500/s), as a system that
// forwards its event stream would; each batch is one transaction. The events are stored for real: run it on a
// copy of the demo workspace if you want to keep it as it was.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { insertToken } from '../src/security/api-tokens.js';
import { createApp } from '../src/server/app.js';
import { listen } from '../src/server/listen.js';
import { rescoreQueueFor } from '../src/server/rescore-queue.js';
import { openWarehouse } from '../src/warehouse/warehouse.js';

const { values } = parseArgs({
  options: {
    workspace: { type: 'string', default: './churnwatch-data' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '20' },
    'batch-ms': { type: 'string', default: '100' },
    'poll-ms': { type: 'string', default: '100' },
    'track-every': { type: 'string', default: '2' },
    serve: { type: 'boolean', default: false },
  },
});

if (values.serve) await serve(values.workspace);
else await run();

/** The child: serves the workspace on 127.0.0.1 and prints `{url, token}`; on stdin's end prints the rounds. */
async function serve(workspace: string): Promise<void> {
  const warehouse = await openWarehouse(workspace);
  const { secret } = await insertToken(
    warehouse,
    { name: `bench-${Date.now()}`, role: 'admin', createdBy: null, expiresAt: null },
    Date.now(),
  );
  const app = createApp({ warehouse, workspace, log: (message, error) => console.error(message, error) });
  const server = await listen(app, { host: '127.0.0.1', port: 0 });
  process.stdout.write(`${JSON.stringify({ url: server.url, token: secret })}\n`);
  process.stdin.resume();
  process.stdin.on('end', async () => {
    const queue = rescoreQueueFor(warehouse, workspace);
    await queue.idle();
    process.stdout.write(`${JSON.stringify({ rounds: queue.rounds })}\n`);
    await server.close();
    warehouse.close();
    process.exit(0);
  });
}

interface ScoreBody {
  updatedAt: string;
  scoredAt: string;
}

async function run(): Promise<void> {
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const batchMs = Number(values['batch-ms']);
  const pollMs = Number(values['poll-ms']);
  const trackEvery = Number(values['track-every']);
  const perBatch = Math.max(1, Math.round((rate * batchMs) / 1000));

  const population = await scoredCustomers(values.workspace);
  const child = spawn(
    process.execPath,
    [...process.execArgv, import.meta.filename, '--serve', '--workspace', values.workspace],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const { url, token } = JSON.parse((await lines.next()).value as string) as { url: string; token: string };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const score = async (id: string): Promise<ScoreBody | null> => {
    const response = await fetch(`${url}/api/customers/${encodeURIComponent(id)}/score`, { headers });
    return response.ok ? ((await response.json()) as ScoreBody) : null;
  };
  const append = async (rows: object[]): Promise<number> => {
    const response = await fetch(`${url}/api/events`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ rows }),
    });
    const body = (await response.json()) as { accepted?: number };
    if (!response.ok)
      throw new Error(`POST /api/events answered ${response.status}: ${JSON.stringify(body)}`);
    return body.accepted ?? 0;
  };

  console.log(
    `${population.length} scored customers; sending ${perBatch} events every ${batchMs} ms (${rate}/s) for ${seconds} s to ${url}`,
  );
  const shuffled = shuffle([...population]);
  const latencies: number[] = [];
  const appendTimes: number[] = [];
  let sent = 0;
  let accepted = 0;
  let missed = 0;
  const tracking: Promise<void>[] = [];
  const start = performance.now();
  const batches = Math.round((seconds * 1000) / batchMs);
  for (let b = 0; b < batches; b++) {
    const due = start + b * batchMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const tracked = shuffled[b % shuffled.length];
    const rows = Array.from({ length: perBatch }, (_, i) => ({
      customer_id: i === 0 ? tracked : population[Math.floor(Math.random() * population.length)],
      ts: new Date().toISOString(),
      event_type: i % 3 === 0 ? 'login' : 'visit',
      properties: { bench: b, i },
    }));
    sent += rows.length;
    if (b % trackEvery !== 0) {
      tracking.push(
        append(rows).then((stored) => {
          accepted += stored;
        }),
      );
      continue;
    }
    tracking.push(
      (async () => {
        const before = await score(tracked);
        const sentAt = performance.now();
        const stored = await append(rows);
        accepted += stored;
        appendTimes.push(performance.now() - sentAt);
        for (;;) {
          const now = await score(tracked);
          if (now && now.updatedAt !== before?.updatedAt) {
            latencies.push(performance.now() - sentAt);
            return;
          }
          if (performance.now() - sentAt > 30_000) {
            missed++;
            return;
          }
          await sleep(pollMs);
        }
      })(),
    );
  }
  await Promise.all(tracking);
  const elapsed = (performance.now() - start) / 1000;

  // Throughput of large batches: 10,000 events a request, stored in one transaction each.
  const big = 10_000;
  const bigTimes: number[] = [];
  for (let k = 0; k < 3; k++) {
    const rows = Array.from({ length: big }, (_, i) => ({
      customer_id: population[(k * big + i) % population.length],
      ts: new Date(Date.now() - i).toISOString(),
      event_type: 'page_view',
      properties: { bulk: k, i },
    }));
    const t = performance.now();
    await append(rows);
    bigTimes.push(performance.now() - t);
  }

  child.stdin!.end();
  const rounds = JSON.parse((await lines.next()).value as string) as {
    rounds: { customers: number; milliseconds: number; error: string | null }[];
  };
  await new Promise((resolve) => child.once('exit', resolve));

  const p = (q: number, xs: number[]) => percentile(xs, q).toFixed(0);
  console.log(
    `sent ${sent} events in ${elapsed.toFixed(1)} s (${(sent / elapsed).toFixed(0)}/s), ${accepted} stored`,
  );
  console.log(
    `event → visible score (${latencies.length} tracked, ${missed} not seen in 30 s): p50 ${p(0.5, latencies)} ms, ` +
      `p99 ${p(0.99, latencies)} ms, max ${p(1, latencies)} ms`,
  );
  console.log(
    `POST /api/events (${perBatch} rows): p50 ${p(0.5, appendTimes)} ms, p99 ${p(0.99, appendTimes)} ms`,
  );
  const perRow = bigTimes.map((ms) => (big / ms) * 1000);
  console.log(
    `large batches (${big} rows): ${bigTimes.map((ms) => ms.toFixed(0)).join(', ')} ms → ` +
      `${percentile(perRow, 0.5).toFixed(0)} rows/s stored`,
  );
  const recent = rounds.rounds.filter((r) => r.customers <= 1000);
  if (recent.length > 0) {
    const sizes = recent.map((r) => r.customers);
    const times = recent.map((r) => r.milliseconds);
    console.log(
      `re-score rounds (last ${recent.length} of the stream): customers p50 ${p(0.5, sizes)}, ` +
        `time p50 ${p(0.5, times)} ms, p99 ${p(0.99, times)} ms; errors ${recent.filter((r) => r.error).length}`,
    );
  }
  if (missed > 0) process.exitCode = 1;
}

async function scoredCustomers(workspace: string): Promise<string[]> {
  const warehouse = await openWarehouse(workspace);
  try {
    // The customers of the latest scoring date: those scored only on earlier dates (the demo's history) may
    // have left since, and a customer who has left is not scored again, whatever events arrive.
    const rows = await warehouse.all<{ customer_id: string }>(
      `SELECT DISTINCT customer_id FROM scores WHERE scored_at = (SELECT max(scored_at) FROM scores)
       ORDER BY customer_id`,
    );
    if (rows.length === 0)
      throw new Error(`no scores in ${workspace}: run the demo (or train and score) first`);
    return rows.map((row) => row.customer_id);
  } finally {
    warehouse.close();
  }
}

function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? sorted[0];
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
