// The benchmark's synthetic data sets: their make_synth.py settings, generated once into a cache outside the
// repository and reused, each with the row split fixed by the reference script.

import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runMeasured } from './run-measured.js';

export const SET_NAMES = ['S1', 'S2', 'S3'] as const;
export type SetName = (typeof SET_NAMES)[number];

/** The arguments of make_synth.py for one set. */
export interface SynthSpec {
  rows: number;
  features: number;
  posRate: number;
  categorical: number;
  missing: number;
  seed: number;
}

export const SYNTH_SETS: Record<SetName, SynthSpec> = {
  S1: { rows: 100_000, features: 30, posRate: 0.1, categorical: 0, missing: 0, seed: 0 },
  S2: { rows: 1_000_000, features: 50, posRate: 0.1, categorical: 3, missing: 0.05, seed: 1 },
  S3: { rows: 300_000, features: 100, posRate: 0.05, categorical: 0, missing: 0, seed: 2 },
};

export const DEFAULT_CACHE_DIR = join(homedir(), '.cache', 'churnwatch-bench');

/** Where the reference scripts live and how to run them. */
export interface Reference {
  python: string;
  dir: string;
}

/** A data set ready to benchmark: its CSV and the split file every run reads. */
export interface PreparedSet {
  name: SetName;
  spec: SynthSpec;
  csv: string;
  split: string;
}

/** Row count after `--rows-scale`, never below 1,000 (the split needs positives in both parts). */
export function scaledRows(spec: SynthSpec, scale: number): number {
  return Math.max(1000, Math.round(spec.rows * scale));
}

/**
 * Returns the set's CSV and split, generating whichever is not in the cache yet. Files are written under a
 * temporary name and renamed, so an interrupted run never leaves a half-written file to be reused.
 */
export function prepareSet(
  name: SetName,
  rows: number,
  cacheDir: string,
  ref: Reference,
  log: (message: string) => void,
): PreparedSet {
  const spec = { ...SYNTH_SETS[name], rows };
  mkdirSync(cacheDir, { recursive: true });
  const stem = join(
    cacheDir,
    `${name.toLowerCase()}-${rows}r-${spec.features}f-p${spec.posRate}-c${spec.categorical}-m${spec.missing}-seed${spec.seed}`,
  );
  const csv = `${stem}.csv`;
  const split = `${stem}.split.json`;
  if (existsSync(csv)) {
    log(`${name}: reusing ${csv}`);
  } else {
    log(`${name}: generating ${rows} rows × ${spec.features} features into ${csv}`);
    const partial = `${csv}.partial-${process.pid}`;
    runMeasured([ref.python, join(ref.dir, 'make_synth.py'), partial, ...synthArgs(spec)], {
      requireJson: false,
    });
    renameSync(partial, csv);
    rmSync(split, { force: true });
  }
  if (!existsSync(split)) {
    log(`${name}: drawing the split with the reference (seed 42, test 20%, no validation part)`);
    const partial = `${split}.partial-${process.pid}`;
    // No model: this process only reads, splits and writes, so no measured run pays for writing the split.
    runMeasured(refCommand(ref, csv, ['--models', '', '--early-stopping', '0', '--split-out', partial]), {
      requireJson: false,
    });
    renameSync(partial, split);
  }
  return { name, spec, csv, split };
}

/** The reference script's command line on a benchmark CSV (label churn = yes, customer_id dropped). */
export function refCommand(ref: Reference, csv: string, args: string[]): string[] {
  return [
    ref.python,
    join(ref.dir, 'ref_gbdt.py'),
    csv,
    '--label',
    'churn',
    '--positive',
    'yes',
    '--drop',
    'customer_id',
    ...args,
  ];
}

function synthArgs(spec: SynthSpec): string[] {
  return [
    '--rows',
    String(spec.rows),
    '--features',
    String(spec.features),
    '--pos-rate',
    String(spec.posRate),
    '--categorical',
    String(spec.categorical),
    '--missing',
    String(spec.missing),
    '--seed',
    String(spec.seed),
  ];
}
