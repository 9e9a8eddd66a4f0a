// Read-API latency under a constant arrival rate (issue 6, Figures): `churnwatch serve` over a copy of the demo
// workspace runs as a child process on 127.0.0.1; this process logs in as the first admin (password from
// CHURNWATCH_ADMIN_PASSWORD, then the forced change), makes an API token for one role, and sends requests
// open-loop — request i leaves at start + i/rate whatever the earlier ones are doing, so a slow server shows
// as latency, not as a lower rate. The mix: GET /api/customers (several filter/sort/page combinations) and
// GET /api/customers/:id (random ids). Prints the time of a first list and customer request sent alone (what
// the server does at its first requests), then p50/p90/p99/max and errors per endpoint (and per list variant)
// under load, and the load average; stops the server it started (SIGTERM to its PID) and removes the copy.
//
//   npm run build && node dist/cli/main.js demo --workspace /tmp/bench-api --customers 20000 --json
//   npx tsx bench/api-load.ts --workspace /tmp/bench-api [--rate 200] [--seconds 20] [--role operator]
//
// The goal is p99 < 50 ms for both endpoints at 200 requests/s for 20 s; the exit code is 1 when it is missed
// or any request failed. `--cpu-prof DIR` runs the server under `node --cpu-prof` (profile written on stop).
// Run it on an otherwise idle machine: the load average at start is printed, with a warning above 0.5.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { TestClient } from '../src/server/testing/test-server.js';
import { openWarehouse } from '../src/warehouse/warehouse.js';

const { values } = parseArgs({
  options: {
    workspace: { type: 'string', default: './churnwatch-data' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    'warmup-seconds': { type: 'string', default: '2' },
    role: { type: 'string', default: 'operator' },
    'list-share': { type: 'string', default: '0.5' },
    'cpu-prof': { type: 'string' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});

const GOAL_P99_MS = 50;
/** A request not answered by then counts as an error (status 0), so an overloaded server ends the run. */
const REQUEST_TIMEOUT_MS = 10_000;
const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');

interface Sample {
  endpoint: 'list' | 'customer';
  variant: string;
  ms: number;
  status: number;
}

interface Population {
  ids: string[];
  segments: string[];
  drivers: string[];
}

const rate = Number(values.rate);
const seconds = Number(values.seconds);
const warmupSeconds = Number(values['warmup-seconds']);
const listShare = Number(values['list-share']);
const random = mulberry32(Number(values.seed));

if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
const source = resolve(values.workspace);
const population = await readPopulation(source);
const scratch = mkdtempSync(join(tmpdir(), 'churnwatch-api-load-'));
const copy = join(scratch, 'workspace');
const serverLog = join(scratch, 'server.log');
cpSync(source, copy, { recursive: true });

const startLoad = loadavg()[0];
let child: ChildProcess | null = null;
try {
  const adminPassword = `Bench-${randomBytes(12).toString('base64url')}`;
  const nodeArgs = values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', resolve(values['cpu-prof'])] : [];
  child = spawn(process.execPath, [...nodeArgs, CLI, 'serve', '--workspace', copy, '--port', '0', '--json'], {
    env: { ...process.env, CHURNWATCH_ADMIN_PASSWORD: adminPassword },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The server's own log goes to a file beside the copy; its tail is printed when requests failed.
  child.stderr!.pipe(createWriteStream(serverLog));
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error('churnwatch serve exited before listening');
  const { url } = JSON.parse(first.value as string) as { url: string };
  const token = await tokenFor(url, adminPassword, values.role);

  const say = values.json ? () => undefined : (line: string) => console.log(line);
  say(
    `${population.ids.length} customers; serving a copy at ${url} (pid ${child.pid}); role ${values.role}; ` +
      `${rate} requests/s for ${seconds} s (+${warmupSeconds} s warm-up), ${Math.round(listShare * 100)}% list`,
  );
  say(`load average at start: ${startLoad.toFixed(2)}`);
  if (startLoad > 0.5) {
    console.warn(
      `warning: load average ${startLoad.toFixed(2)} > 0.5: other work on this machine skews the figures`,
    );
  }
  // One request of each endpoint first, alone: what a server does on its first requests (loading what it
  // keeps in memory) is reported here, apart from the figures under load.
  const firstMs = await firstRequests(url, token);
  say(
    `first requests, one at a time: list ${firstMs.list.toFixed(0)} ms, customer ${firstMs.customer.toFixed(0)} ms`,
  );
  if (warmupSeconds > 0) await drive(url, token, rate, warmupSeconds);
  const { samples, lagMs } = await drive(url, token, rate, seconds);
  const endLoad = loadavg()[0];
  const report = summarise(samples);
  if (values.json) {
    console.log(
      JSON.stringify({
        rate,
        seconds,
        role: values.role,
        startLoad,
        endLoad,
        lagMs,
        firstMs,
        ...report,
      }),
    );
  } else {
    for (const line of describe(report)) console.log(line);
    console.log(`load average at end: ${endLoad.toFixed(2)}; generator lag max ${lagMs.toFixed(1)} ms`);
  }
  const missed = [report.endpoints.list, report.endpoints.customer].some(
    (e) => e.errors > 0 || !(e.p99 < GOAL_P99_MS),
  );
  if (missed) process.exitCode = 1;
  if (report.endpoints.list.errors + report.endpoints.customer.errors > 0) {
    const log = readFileSync(serverLog, 'utf8').trimEnd().split('\n');
    console.error(`server log (last 10 of ${log.length} lines):\n${log.slice(-10).join('\n')}`);
  }
} finally {
  if (child) await stop(child);
  rmSync(scratch, { recursive: true, force: true });
}

/** Ids, segments and driver names of the scored customers, read before the server holds the file. */
async function readPopulation(workspace: string): Promise<Population> {
  const warehouse = await openWarehouse(workspace);
  try {
    const ids = await warehouse.all<{ id: string }>(
      'SELECT DISTINCT customer_id AS id FROM scores ORDER BY id',
    );
    if (ids.length === 0)
      throw new Error(`no scores in ${workspace}: run the demo (or train and score) first`);
    const segments = await warehouse.all<{ segment: string }>(
      'SELECT DISTINCT segment FROM customers WHERE segment IS NOT NULL ORDER BY segment',
    );
    const drivers = await warehouse.all<{ feature: string }>(
      `SELECT feature FROM (SELECT unnest(json_extract_string(drivers, '$[*].feature')) AS feature FROM scores)
       GROUP BY feature ORDER BY count(*) DESC, feature LIMIT 5`,
    );
    return {
      ids: ids.map((row) => row.id),
      segments: segments.map((row) => row.segment),
      drivers: drivers.map((row) => row.feature),
    };
  } finally {
    warehouse.close();
  }
}

/** Logs in as the first admin, changes the one-time password, and returns a new API token's secret. */
async function tokenFor(url: string, password: string, role: string): Promise<string> {
  const admin = new TestClient(url);
  const login = await admin.login('admin', password);
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${login.text}`);
  const changed = await admin.request('POST', '/api/auth/password', {
    json: { currentPassword: password, newPassword: `${password}-changed` },
  });
  if (changed.status !== 200) throw new Error(`password change answered ${changed.status}: ${changed.text}`);
  const created = await admin.request('POST', '/api/tokens', {
    json: { name: `api-load-${Date.now()}`, role },
  });
  if (created.status !== 201) throw new Error(`token creation answered ${created.status}: ${created.text}`);
  return (created.body as { secret: string }).secret;
}

/** The latency of one list and one customer request sent alone, in that order. */
async function firstRequests(url: string, token: string): Promise<{ list: number; customer: number }> {
  const timed = async (path: string) => {
    const start = performance.now();
    const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
    return performance.now() - start;
  };
  const list = await timed('/api/customers');
  const customer = await timed(`/api/customers/${encodeURIComponent(population.ids[0]!)}`);
  return { list, customer };
}

/** One request of the mix: which endpoint, a label for the variant, and the path. */
function nextRequest(): { endpoint: Sample['endpoint']; variant: string; path: string } {
  if (random() >= listShare) {
    const id = pick(population.ids);
    return { endpoint: 'customer', variant: '360', path: `/api/customers/${encodeURIComponent(id)}` };
  }
  const page = (pages: number, size: number) => `limit=${size}&offset=${Math.floor(random() * pages) * size}`;
  const variants: [string, () => string][] = [
    ['default', () => ''],
    ['high by value', () => `tier=high&sort=value&${page(5, 50)}`],
    [
      'segment, prob asc',
      () => `segment=${encodeURIComponent(pick(population.segments))}&order=asc&${page(10, 50)}`,
    ],
    ['reason', () => `reason=${encodeURIComponent(pick(population.drivers))}&${page(3, 25)}`],
    ['prob range by id', () => `minProbability=0.3&maxProbability=0.9&sort=id&${page(20, 100)}`],
    ['by value, deep page', () => `sort=value&${page(100, 50)}`],
    ['search id prefix', () => `search=${encodeURIComponent(pick(population.ids).slice(0, -2))}`],
  ];
  const [variant, query] = pick(variants);
  const q = query();
  return { endpoint: 'list', variant, path: `/api/customers${q === '' ? '' : `?${q}`}` };
}

/** Sends `rate` requests a second for `duration` seconds, open-loop; returns every request's latency. */
async function drive(
  url: string,
  token: string,
  perSecond: number,
  duration: number,
): Promise<{ samples: Sample[]; lagMs: number }> {
  const headers = { authorization: `Bearer ${token}` };
  const total = Math.round(perSecond * duration);
  const samples: Sample[] = [];
  const pending: Promise<void>[] = [];
  let lagMs = 0;
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    lagMs = Math.max(lagMs, performance.now() - due);
    const request = nextRequest();
    // Latency counts from when the request was due, so a lagging generator cannot hide a slow server.
    pending.push(
      fetch(`${url}${request.path}`, { headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }).then(
        async (response) => {
          await response.arrayBuffer();
          samples.push({ ...request, ms: performance.now() - due, status: response.status });
        },
        () => {
          samples.push({ ...request, ms: performance.now() - due, status: 0 });
        },
      ),
    );
  }
  await Promise.all(pending);
  return { samples, lagMs };
}

interface Figures {
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

function figures(samples: readonly Sample[]): Figures {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  for (const s of samples) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    requests: samples.length,
    errors: samples.filter((s) => s.status < 200 || s.status >= 300).length,
    statuses,
    p50: round(percentile(ms, 0.5)),
    p90: round(percentile(ms, 0.9)),
    p99: round(percentile(ms, 0.99)),
    max: round(percentile(ms, 1)),
  };
}

function summarise(samples: readonly Sample[]) {
  const variants: Record<string, Figures> = {};
  for (const name of new Set(samples.filter((s) => s.endpoint === 'list').map((s) => s.variant))) {
    variants[name] = figures(samples.filter((s) => s.endpoint === 'list' && s.variant === name));
  }
  return {
    endpoints: {
      list: figures(samples.filter((s) => s.endpoint === 'list')),
      customer: figures(samples.filter((s) => s.endpoint === 'customer')),
    },
    listVariants: variants,
  };
}

function describe(report: ReturnType<typeof summarise>): string[] {
  const line = (name: string, f: Figures) =>
    `${name.padEnd(28)} n=${String(f.requests).padStart(5)}  p50 ${ms(f.p50)}  p90 ${ms(f.p90)}  ` +
    `p99 ${ms(f.p99)}  max ${ms(f.max)}  errors ${f.errors}` +
    (f.errors > 0 ? ` ${JSON.stringify(f.statuses)}` : '');
  const lines = [
    line('GET /api/customers', report.endpoints.list),
    line('GET /api/customers/:id', report.endpoints.customer),
  ];
  for (const [name, f] of Object.entries(report.listVariants).sort()) lines.push(line(`  list: ${name}`, f));
  const verdict = (f: Figures) => (f.errors === 0 && f.p99 < GOAL_P99_MS ? 'met' : 'MISSED');
  lines.push(
    `goal p99 < ${GOAL_P99_MS} ms: list ${verdict(report.endpoints.list)}, ` +
      `customer 360 ${verdict(report.endpoints.customer)}`,
  );
  return lines;
}

/** Stops the server this script started: SIGTERM to its PID, SIGKILL if it has not exited in 10 s. */
async function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((done) => server.once('exit', done));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function ms(x: number): string {
  return `${x.toFixed(1).padStart(7)} ms`;
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** A small seeded generator, so two runs send the same requests. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((done) => setTimeout(done, milliseconds));
}
