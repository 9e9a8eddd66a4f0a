// Ours against the reference on one CSV, same split, in one run: ROC-AUC, PR-AUC, log loss and time per model,
// averaged over seeds, with the quality bar of the quick-path issue checked and printed.
//
//   bash ../shared/bench/setup.sh          # once: the reference's Python stack from Debian
//   npm run build && npx tsx bench/compare.ts [CSV --label Churn --positive Yes --drop customerID --seeds 1,2,3,4,5]

import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const shared = resolve(root, '../shared');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    label: { type: 'string', default: 'Churn' },
    positive: { type: 'string', default: 'Yes' },
    drop: { type: 'string', default: 'customerID' },
    seeds: { type: 'string', default: '1,2,3,4,5' },
    threads: { type: 'string', default: '2' },
  },
});
const csv = positionals[0] ?? join(shared, 'datasets/telco.csv');
const seeds = values.seeds.split(',').map(Number);
const pairs = [
  { ours: 'gbdt', ref: 'xgboost', refKey: 'xgb', aucSlack: 0.003 },
  { ours: 'logistic_regression', ref: 'logistic_regression', refKey: 'logreg', aucSlack: 0.002 },
  { ours: 'random_forest', ref: 'random_forest', refKey: 'rf', aucSlack: null },
] as const;

type Line = Record<string, number | string | null>;
const common = ['--label', values.label, '--positive', values.positive, '--threads', values.threads];
if (values.drop) common.push('--drop', values.drop);
const work = mkdtempSync(join(tmpdir(), 'churnwatch-compare-'));
const results: { seed: number; ours: Line[]; ref: Line[] }[] = [];

const load = Number(execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ')[0]);
if (load > 0.5) console.log(`note: load average ${load} at start; timings may be disturbed`);

for (const seed of seeds) {
  const split = join(work, `split-${seed}.json`);
  process.stderr.write(`seed ${seed}: reference… `);
  const ref = jsonLines(
    execFileSync(
      '/usr/bin/python3',
      [
        join(shared, 'bench/ref_gbdt.py'),
        csv,
        ...common,
        '--seed',
        String(seed),
        '--models',
        pairs.map((p) => p.refKey).join(','),
        '--split-out',
        split,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    ),
  );
  process.stderr.write('ours… ');
  const ours = jsonLines(
    execFileSync(
      'node',
      [
        join(root, 'dist/cli/main.js'),
        'train',
        csv,
        ...common,
        '--seed',
        String(seed),
        '--split-in',
        split,
        '--json',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    ),
  );
  process.stderr.write('done\n');
  results.push({ seed, ours, ref });
}

const mean = (lines: Line[], key: string) => lines.reduce((s, l) => s + Number(l[key]), 0) / lines.length;
const pick = (side: 'ours' | 'ref', model: string) =>
  results.map((r) => r[side].find((l) => l.model === model)).filter((l): l is Line => Boolean(l));

console.log(`\n${csv}, seeds ${seeds.join(',')}, same split per seed (means)\n`);
const header = ['model', 'side', 'ROC-AUC', 'PR-AUC', 'log loss', 'accuracy', 'train s'];
console.log(header.map((h, i) => (i === 0 ? h.padEnd(22) : i === 1 ? h.padEnd(34) : h.padStart(9))).join(''));
let failed = 0;
for (const pair of pairs) {
  const ours = pick('ours', pair.ours);
  const ref = pick('ref', pair.ref);
  if (!ours.length || !ref.length) continue;
  for (const [side, lines] of [
    ['churnwatch', ours],
    [`reference ${pair.ref}`, ref],
  ] as const) {
    const cells = ['roc_auc', 'pr_auc', 'log_loss', 'accuracy', 'train_seconds'].map((k) =>
      mean(lines, k).toFixed(4).padStart(9),
    );
    console.log(`${pair.ours.padEnd(22)}${side.padEnd(34)}${cells.join('')}`);
  }
  if (pair.aucSlack === null) continue;
  const checks = [
    ['ROC-AUC', mean(ours, 'roc_auc') - mean(ref, 'roc_auc'), -pair.aucSlack],
    ['PR-AUC', mean(ours, 'pr_auc') - mean(ref, 'pr_auc'), -0.005],
    ['log loss', mean(ref, 'log_loss') - mean(ours, 'log_loss'), -0.005],
  ] as const;
  for (const [what, margin, bar] of checks) {
    const ok = margin >= bar;
    if (!ok) failed++;
    console.log(
      `  ${ok ? 'PASS' : 'FAIL'} ${pair.ours} ${what}: ours − reference ${what === 'log loss' ? '(lower is better, sign flipped) ' : ''}= ${margin.toFixed(4)} (bar ≥ ${bar})`,
    );
  }
}
console.log(failed ? `\n${failed} check(s) failed` : '\nall checks passed');
process.exitCode = failed ? 1 : 0;

function jsonLines(text: string): Line[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);
}
