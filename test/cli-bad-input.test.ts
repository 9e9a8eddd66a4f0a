// Every bad input of the quick path: a one-line error naming the file, row and column, exit code 2, no stack.

import { describe, expect, it } from 'vitest';
import { cli, tempDir, writeFile } from './cli-helpers.js';

const dir = tempDir();
const good = 'id,tenure,plan,churn\n1,3,Basic,yes\n2,40,Premium,no\n3,5,Basic,yes\n4,60,Premium,no\n';

function expectBadInput(args: string[], ...fragments: string[]): string {
  const run = cli(args);
  expect(run.status).toBe(2);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  for (const fragment of fragments) expect(run.stderr).toContain(fragment);
  return run.stderr;
}

const train = (file: string, ...extra: string[]) => [
  'train',
  file,
  '--label',
  'churn',
  '--positive',
  'yes',
  ...extra,
];

describe('train refuses bad input clearly', () => {
  it('missing file', () => {
    expectBadInput(train(`${dir}/nope.csv`), 'nope.csv', 'file not found');
  });

  it('empty file', () => {
    expectBadInput(train(writeFile(dir, 'empty.csv', '')), 'empty.csv', 'empty');
  });

  it('no header', () => {
    expectBadInput(train(writeFile(dir, 'noheader.csv', '1,3,5,1\n2,40,6,0\n')), 'noheader.csv', 'header');
  });

  it('duplicate column names', () => {
    const file = writeFile(dir, 'dup.csv', 'id,plan,plan,churn\n1,a,b,yes\n');
    expectBadInput(train(file), 'dup.csv', 'plan');
  });

  it('ragged rows, naming the line', () => {
    const file = writeFile(dir, 'ragged.csv', `${good}5,7,Basic\n`);
    expectBadInput(train(file), 'ragged.csv:6');
  });

  it('label column absent', () => {
    const file = writeFile(dir, 'nolabel.csv', good);
    expectBadInput(['train', file, '--label', 'churned', '--positive', 'yes'], 'nolabel.csv', 'churned');
  });

  it('positive value absent', () => {
    const file = writeFile(dir, 'nopos.csv', good);
    expectBadInput(['train', file, '--label', 'churn', '--positive', 'Y'], 'nopos.csv', '"Y"');
  });

  it('a label with one class', () => {
    const file = writeFile(dir, 'oneclass.csv', 'id,tenure,churn\n1,3,yes\n2,4,yes\n');
    expectBadInput(train(file), 'oneclass.csv', 'churn');
  });

  it('bytes that are neither UTF-8 nor GB18030', () => {
    const bytes = Buffer.concat([
      Buffer.from('id,tenure,churn\n1,3,yes\n2,'),
      Buffer.from([0xff, 0xff]),
      Buffer.from(',no\n'),
    ]);
    expectBadInput(train(writeFile(dir, 'binary.csv', bytes)), 'binary.csv', '3');
  });

  it('a split file for another row count', () => {
    const file = writeFile(dir, 'split-data.csv', good);
    const split = writeFile(
      dir,
      'split.json',
      JSON.stringify({ format: 'ref_gbdt.split.v1', n_rows: 10, train: [0, 1], valid: [], test: [2] }),
    );
    expectBadInput(train(file, '--split-in', split), 'split.json', '10 rows', 'has 4');
  });

  it('a bad option value', () => {
    const file = writeFile(dir, 'opt.csv', good);
    expectBadInput(train(file, '--test-size', '1.5'), '--test-size');
  });

  it('a model file from another version or corrupted', () => {
    const data = writeFile(dir, 'score.csv', good);
    const old = writeFile(dir, 'old.model.json', JSON.stringify({ format: 'churnwatch.model', version: 99 }));
    expectBadInput(['score', old, data], 'old.model.json', 'version 99');
    const broken = writeFile(dir, 'broken.model.json', '{"format": "churnwatch.model", "vers');
    expectBadInput(['score', broken, data], 'broken.model.json', 'corrupted');
    const other = writeFile(dir, 'other.json', '{"hello": 1}');
    expectBadInput(['explain', other], 'other.json', 'not a churnwatch model');
  });
});

describe('columns that cannot help are reported and left out, not fatal', () => {
  const rows = Array.from({ length: 40 }, (_, i) => `${i},${i % 7},,same,${i % 3 === 0 ? 'yes' : 'no'}`);
  const file = writeFile(dir, 'useless.csv', `id,tenure,empty,flat,churn\n${rows.join('\n')}\n`);

  it('an all-missing column and a constant column are named in the data report', () => {
    const run = cli(train(file, '--drop', 'id', '--models', 'logistic_regression'));
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('empty: empty in every row; not used');
    expect(run.stdout).toContain('flat: the same value "same" in every row; not used');
    const line = JSON.parse(
      cli(train(file, '--drop', 'id', '--models', 'logistic_regression', '--json')).stdout,
    );
    expect(line.n_features).toBe(1);
  });

  it('a table with no usable feature column is refused', () => {
    const only = writeFile(
      dir,
      'nothing.csv',
      `empty,flat,churn\n${rows.map((r) => r.split(',').slice(2).join(',')).join('\n')}\n`,
    );
    expectBadInput(train(only), 'nothing.csv');
  });
});

describe('encodings', () => {
  it('reads a GB18030 file as Excel writes it on Chinese systems, and says so', () => {
    // "华东" and "华北" in GBK: BB AA B6 AB and BB AA B1 B1.
    const east = Buffer.from([0xbb, 0xaa, 0xb6, 0xab]);
    const north = Buffer.from([0xbb, 0xaa, 0xb1, 0xb1]);
    const parts: Buffer[] = [Buffer.from('id,region,tenure,churn\n')];
    for (let i = 0; i < 60; i++) {
      parts.push(
        Buffer.from(`${i},`),
        i % 2 ? east : north,
        Buffer.from(`,${i % 11},${i % 3 === 0 ? 'yes' : 'no'}\n`),
      );
    }
    const file = writeFile(dir, 'gbk.csv', Buffer.concat(parts));
    const run = cli(train(file, '--drop', 'id', '--models', 'logistic_regression'));
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('gb18030');
    expect(run.stdout).toContain('华东');
  });
});
