// Point-in-time features, ours against the pandas reference (../shared/bench/ref_features.py) on the same
// make_events.py data at the same cutoff: wall seconds and peak RSS of each whole process, side by side,
// from the CSV files to the written feature table; then the two outputs compared cell by cell.
//
//   npx tsx bench/features.ts [--customers 100000] [--events-per-customer 50] [--cutoff 2025-04-01] [--seed 0]
//
// Data is generated once per size into ~/.cache/churnwatch-bench/ (never the repo). 1,000,000 customers is
// the issue's figure (≈ 54M rows, 2.5 GB of CSV; the reference takes ≈ 106 s and 3.6 GB there).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createFeatureTable } from '../src/features/compute-features.js';
import { loadCsv } from '../src/warehouse/load-csv.js';
import { quoteString } from '../src/warehouse/sql-text.js';
import { openWarehouse } from '../src/warehouse/warehouse.js';
import { type MeasuredRun, runMeasured } from './lib/run-measured.js';

const root = resolve(import.meta.dirname, '..');
const shared = resolve(root, '../shared');
const SOURCES = ['customers', 'events', 'transactions', 'tickets'] as const;

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    'events-per-customer': { type: 'string', default: '50' },
    cutoff: { type: 'string', default: '2025-04-01' },
    seed: { type: 'string', default: '0' },
    threads: { type: 'string', default: '2' },
    'memory-limit': { type: 'string', default: '' },
    /** Extra DuckDB settings for our side, `name=value`, repeatable (e.g. disabled_compression_methods=fsst). */
    setting: { type: 'string', multiple: true, default: [] },
    'skip-reference': { type: 'boolean', default: false },
    'skip-check': { type: 'boolean', default: false },
    // Internal: run our side in this process (the parent measures it as a child).
    child: { type: 'string' },
    out: { type: 'string' },
  },
});

if (values.child !== undefined) await runOurs(values.child, values.out!);
else main();

/** Our side: CSV files → warehouse → feature table → CSV, timed per stage; one JSON line on stdout. */
async function runOurs(dataDir: string, out: string): Promise<void> {
  const workspace = mkdtempSync(join(tmpdir(), 'churnwatch-bench-features-'));
  const settings: Record<string, string> = { threads: values.threads };
  if (values['memory-limit']) settings['memory_limit'] = values['memory-limit'];
  for (const pair of values.setting) {
    const at = pair.indexOf('=');
    settings[pair.slice(0, at)] = pair.slice(at + 1);
  }
  try {
    let start = performance.now();
    const warehouse = await openWarehouse(workspace, { settings });
    const rows: Record<string, number> = {};
    for (const table of SOURCES)
      rows[table] = (await loadCsv(warehouse, table, join(dataDir, `${table}.csv`))).rows;
    const loadSeconds = (performance.now() - start) / 1000;
    start = performance.now();
    const featureRows = await createFeatureTable(warehouse, 'features', values.cutoff);
    const computeSeconds = (performance.now() - start) / 1000;
    start = performance.now();
    await warehouse.run(`COPY features TO ${quoteString(out)} (HEADER, DELIMITER ',')`);
    const writeSeconds = (performance.now() - start) / 1000;
    warehouse.close();
    const round = (x: number) => Math.round(x * 1000) / 1000;
    console.log(
      JSON.stringify({
        tool: 'churnwatch_features',
        ...rows,
        customers: featureRows,
        load_seconds: round(loadSeconds),
        compute_seconds: round(computeSeconds),
        write_seconds: round(writeSeconds),
      }),
    );
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

function main(): void {
  const customers = Number(values.customers);
  const perCustomer = Number(values['events-per-customer']);
  const dataDir = join(
    homedir(),
    '.cache/churnwatch-bench',
    `events-c${customers}-e${perCustomer}-s${values.seed}`,
  );
  if (!SOURCES.every((table) => existsSync(join(dataDir, `${table}.csv`)))) {
    mkdirSync(dataDir, { recursive: true });
    console.log(`generating ${customers} customers × ${perCustomer} events into ${dataDir} …`);
    const made = spawnSync(
      '/usr/bin/python3',
      [
        join(shared, 'bench/make_events.py'),
        dataDir,
        '--customers',
        String(customers),
        '--events-per-customer',
        String(perCustomer),
        '--seed',
        values.seed,
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (made.status !== 0) throw new Error(`make_events.py failed (status ${made.status})`);
  }
  const work = mkdtempSync(join(tmpdir(), 'churnwatch-bench-out-'));
  const load1 = loadavg()[0]!;
  console.log(
    `data ${dataDir}, cutoff ${values.cutoff}, threads ${values.threads}, load ${load1.toFixed(2)} at start`,
  );
  if (load1 > 0.5) console.log('note: another process is using the cores; timings may be disturbed');

  const oursOut = join(work, 'ours.csv');
  const ours = runMeasured([
    process.execPath,
    '--import',
    'tsx',
    join(root, 'bench/features.ts'),
    '--child',
    dataDir,
    '--out',
    oursOut,
    '--cutoff',
    values.cutoff,
    '--threads',
    values.threads,
    ...(values['memory-limit'] ? ['--memory-limit', values['memory-limit']] : []),
    ...values.setting.flatMap((pair) => ['--setting', pair]),
  ]);
  let reference: MeasuredRun | undefined;
  const refOut = join(work, 'reference.csv');
  if (!values['skip-reference']) {
    reference = runMeasured([
      '/usr/bin/python3',
      join(shared, 'bench/ref_features.py'),
      dataDir,
      '--cutoff',
      values.cutoff,
      '--out',
      refOut,
    ]);
  }
  printTable(ours, reference);
  if (reference && !values['skip-check']) console.log(checkOutputs(oursOut, refOut));
  rmSync(work, { recursive: true, force: true });
}

function printTable(ours: MeasuredRun, reference: MeasuredRun | undefined): void {
  const o = ours.lines[0]!;
  const r = reference?.lines[0];
  const rows: [string, string, string][] = [
    ['', 'churnwatch (DuckDB)', 'reference (pandas)'],
    [
      'wall seconds (whole process)',
      ours.wallSeconds.toFixed(1),
      reference ? reference.wallSeconds.toFixed(1) : '-',
    ],
    ['peak RSS MiB', ours.maxRssMiB.toFixed(0), reference ? reference.maxRssMiB.toFixed(0) : '-'],
    ['read / load CSV s', String(o['load_seconds']), String(r?.['read_seconds'] ?? '-')],
    ['compute s', String(o['compute_seconds']), String(r?.['compute_seconds'] ?? '-')],
    ['write CSV s', String(o['write_seconds']), String(r?.['write_seconds'] ?? '-')],
    ['customers (rows out)', String(o['customers']), String(r?.['customers'] ?? '-')],
  ];
  const width = [30, 20, 20];
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(width[i]!)).join(' '));
  if (reference) {
    const speedup = reference.wallSeconds / ours.wallSeconds;
    const memory = ours.maxRssMiB / reference.maxRssMiB;
    console.log(
      `ours: ${speedup.toFixed(1)}× faster, ${(memory * 100).toFixed(0)}% of the reference's peak memory`,
    );
  }
}

/** Cell-by-cell comparison of the two CSVs (rows matched by customer_id), with the golden test's tolerance. */
function checkOutputs(oursFile: string, refFile: string): string {
  const parse = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n');
  const [refHeader, ...refLines] = parse(refFile);
  const [ourHeader, ...ourLines] = parse(oursFile);
  if (refHeader !== ourHeader) return `check: headers differ\n  ours ${ourHeader}\n  ref  ${refHeader}`;
  const ours = new Map(ourLines.map((line) => [line.slice(0, line.indexOf(',')), line]));
  let mismatches = 0;
  let cells = 0;
  const examples: string[] = [];
  const names = refHeader!.split(',');
  for (const line of refLines) {
    const want = line.split(',');
    const got = ours.get(want[0]!)?.split(',');
    for (let i = 0; i < want.length; i++) {
      cells++;
      const a = got?.[i];
      const b = want[i]!;
      const same = a === b || (a !== undefined && a !== '' && b !== '' && closeEnough(Number(a), Number(b)));
      if (!same) {
        mismatches++;
        if (examples.length < 5)
          examples.push(`customer ${want[0]}, ${names[i]}: ours "${a}", reference "${b}"`);
      }
    }
  }
  const rowsNote =
    ourLines.length === refLines.length
      ? ''
      : ` (row counts differ: ${ourLines.length} vs ${refLines.length})`;
  return `check: ${cells} cells, ${mismatches} differ${rowsNote}${examples.map((e) => `\n  ${e}`).join('')}`;
}

function closeEnough(ours: number, printed: number): boolean {
  const magnitude = Math.max(Math.abs(ours), Math.abs(printed));
  if (magnitude === 0) return true;
  return Math.abs(ours - printed) <= 0.5 * 10 ** (Math.floor(Math.log10(magnitude)) - 9) + 1e-12 * magnitude;
}
