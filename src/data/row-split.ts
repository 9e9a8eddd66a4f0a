// Train / validation / test row splits: drawn stratified from a seed, or read from and written to the
// reference's `ref_gbdt.split.v1` JSON so our models and the reference train on exactly the same rows.

import { readFileSync, writeFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import type { Random } from '../ml/random.js';

export const SPLIT_FORMAT = 'ref_gbdt.split.v1';

/** 0-based data-row indices, each sorted ascending; `valid` is a subset of `train` (maybe empty). */
export interface RowSplit {
  train: Uint32Array;
  valid: Uint32Array;
  test: Uint32Array;
}

/** Rows the boosted models fit on: train minus valid. */
export function fitRows(split: RowSplit): Uint32Array {
  const valid = new Set(split.valid);
  return split.train.filter((row) => !valid.has(row));
}

/**
 * Draws a stratified split: `testSize` of all rows held out, then `validSize` of the training rows,
 * each class in proportion (the largest-remainder rule), shuffled with `random`.
 */
export function drawSplit(
  labels: ArrayLike<number>,
  testSize: number,
  validSize: number,
  random: Random,
): RowSplit {
  const all = Uint32Array.from({ length: labels.length }, (_, i) => i);
  const [train, test] = stratifiedCut(all, labels, testSize, random);
  const valid = validSize > 0 ? stratifiedCut(train, labels, validSize, random)[1] : new Uint32Array(0);
  return { train: train.sort(), valid: valid.sort(), test: test.sort() };
}

/** Splits `rows` into [kept, held out] with `share` of them held out, stratified on `labels`. */
function stratifiedCut(
  rows: Uint32Array,
  labels: ArrayLike<number>,
  share: number,
  random: Random,
): [Uint32Array, Uint32Array] {
  const byClass = [[], []] as number[][];
  for (const row of rows) byClass[labels[row] ? 1 : 0].push(row);
  const heldTotal = Math.ceil(share * rows.length);
  const exact = byClass.map((members) => (heldTotal * members.length) / rows.length);
  const held = exact.map(Math.floor);
  // Largest remainder first, so the per-class counts add up to heldTotal.
  const order = [0, 1].sort((a, b) => exact[b] - held[b] - (exact[a] - held[a]));
  for (let k = 0; held[0] + held[1] < heldTotal; k++) held[order[k % 2]]++;
  const kept: number[] = [];
  const out: number[] = [];
  byClass.forEach((members, cls) => {
    shuffle(members, random);
    // A loop, not push(...rows): spreading a million arguments overflows the stack.
    for (let k = 0; k < members.length; k++) (k < held[cls] ? out : kept).push(members[k]);
  });
  return [Uint32Array.from(kept), Uint32Array.from(out)];
}

/** Fisher–Yates shuffle in place. */
function shuffle(values: number[], random: Random): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    [values[i], values[j]] = [values[j], values[i]];
  }
}

/** Writes a split as `ref_gbdt.split.v1` JSON with the given metadata. */
export function writeSplit(
  path: string,
  split: RowSplit,
  nRows: number,
  meta: Record<string, unknown>,
): void {
  const doc = {
    format: SPLIT_FORMAT,
    n_rows: nRows,
    ...meta,
    train: Array.from(split.train),
    valid: Array.from(split.valid),
    test: Array.from(split.test),
  };
  writeFileSync(path, `${JSON.stringify(doc)}\n`);
}

/** Reads and checks a `ref_gbdt.split.v1` file against the data's row count. */
export function readSplit(path: string, nRows: number): RowSplit {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'not valid JSON';
    throw new InputError(`split file: ${reason}`, { file: path }, { cause: error });
  }
  if (doc === null || typeof doc !== 'object' || doc.format !== SPLIT_FORMAT) {
    throw new InputError(`not a ${SPLIT_FORMAT} file`, { file: path, key: 'format' });
  }
  if (doc.n_rows !== nRows) {
    throw new InputError(`split is for ${String(doc.n_rows)} rows, the data has ${nRows}`, {
      file: path,
      key: 'n_rows',
    });
  }
  const part = (key: 'train' | 'valid' | 'test'): Uint32Array => {
    const values = doc[key];
    if (!Array.isArray(values))
      throw new InputError(`"${key}" must be a list of row indices`, { file: path, key });
    for (const value of values) {
      if (!Number.isInteger(value) || value < 0 || value >= nRows) {
        throw new InputError(`row index ${JSON.stringify(value)} out of range 0..${nRows - 1}`, {
          file: path,
          key,
        });
      }
    }
    return Uint32Array.from(values as number[]).sort();
  };
  const split = { train: part('train'), valid: part('valid'), test: part('test') };
  const train = new Set(split.train);
  if (split.test.some((row) => train.has(row))) {
    throw new InputError('train and test overlap', { file: path, key: 'test' });
  }
  if (split.valid.some((row) => !train.has(row))) {
    throw new InputError('valid is not a subset of train', { file: path, key: 'valid' });
  }
  if (split.train.length === 0 || split.test.length === 0) {
    throw new InputError('train and test must both hold rows', { file: path });
  }
  return split;
}
