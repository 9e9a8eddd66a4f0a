import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { thrown } from '../testing/thrown.js';
import { inferTable } from './infer-types.js';
import { readCsv } from './read-csv.js';
import { applySchema, fitSchema, labelVector } from './schema.js';

const dir = mkdtempSync(join(tmpdir(), 'churnwatch-schema-'));
let fileCount = 0;

function readText(content: string) {
  const path = join(dir, `t${fileCount++}.csv`);
  writeFileSync(path, content);
  return readCsv(path);
}

const TRAIN = [
  'id,plan,fee,active,since,empty,country,churn',
  'a1,Basic,10,True,2024-01-01,,CN,yes',
  'a2,Pro,20.5,False,2024-02-01,,CN,no',
  'a3,Basic,NA,True,2024-03-01,,CN, yes ',
  'a4,Team,,False,2024-04-01,,CN,no',
  'a5,Basic,12,True,2024-05-01,,CN,no',
  'a6,Pro,30,False,2024-06-01,,CN,no',
].join('\n');

describe('fitSchema', () => {
  it('learns kinds and sorted training categories, and excludes empty and constant columns with a warning', () => {
    const table = readText(TRAIN);
    const schema = fitSchema(table, inferTable(table), {
      label: 'churn',
      drop: ['id'],
      rows: [0, 1, 2],
    });
    expect(schema.columns).toEqual([
      { name: 'plan', kind: 'categorical', source: 'categorical', categories: ['Basic', 'Pro'] },
      { name: 'fee', kind: 'numeric', source: 'numeric', numericMissingTokens: ['NA'] },
      { name: 'active', kind: 'numeric', source: 'boolean' },
      { name: 'since', kind: 'numeric', source: 'date' },
    ]);
    expect(schema.excluded).toEqual([
      { name: 'id', reason: 'dropped' },
      { name: 'empty', reason: 'all-missing' },
      { name: 'country', reason: 'constant' },
      { name: 'churn', reason: 'label' },
    ]);
    expect(schema.warnings).toEqual([
      'not used, empty in every row: "empty"',
      'not used, the same value in every row: "country"',
    ]);
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it('warns about an id-like column it keeps', () => {
    const table = readText(TRAIN);
    const { warnings } = fitSchema(table, inferTable(table), { label: 'churn' });
    expect(warnings).toContain('column "id" looks like an identifier; if it is one, pass --drop id');
  });

  it('refuses a table with no usable feature column', () => {
    const table = readText('k,c,y\n1,x,1\n2,x,0\n');
    const error = thrown(() => fitSchema(table, inferTable(table), { label: 'y', drop: ['k'] }));
    expect(error.message).toBe('no usable feature column: "k" (dropped), "c" (constant), "y" (label)');
  });

  it('refuses a --drop column that does not exist', () => {
    const table = readText(TRAIN);
    expect(
      thrown(() => fitSchema(table, inferTable(table), { label: 'churn', drop: ['nope'] })).where.column,
    ).toBe('nope');
  });
});

describe('applySchema', () => {
  const train = readText(TRAIN);
  const schema = fitSchema(train, inferTable(train), { label: 'churn', drop: ['id'] });

  it('encodes a new table: unseen categories and unreadable values become NaN, extra columns are ignored', () => {
    const table = readText(
      [
        'extra,since,active,fee,plan',
        'z,2024-01-02,True,5,Pro',
        'z,,false,NA,Enterprise',
        'z,2024-01-03,maybe,oops,Basic',
      ].join('\n'),
    );
    const { matrix, problems, details } = applySchema(schema, table);
    expect(matrix.names).toEqual(['plan', 'fee', 'active', 'since']);
    expect(matrix.kinds).toEqual(['categorical', 'numeric', 'numeric', 'numeric']);
    expect(matrix.categories[0]).toEqual(['Basic', 'Pro', 'Team']);
    expect(Array.from(matrix.columns[0])).toEqual([1, Number.NaN, 0]);
    expect(Array.from(matrix.columns[1])).toEqual([5, Number.NaN, Number.NaN]);
    expect(Array.from(matrix.columns[2])).toEqual([1, 0, Number.NaN]);
    expect(Array.from(matrix.columns[3])).toEqual([19724, Number.NaN, 19725]);
    expect(problems).toEqual([
      '1 cell of "plan" holds a value not seen in training ("Enterprise"; first on line 3); scored as missing',
      '1 cell of "fee" cannot be read ("oops"; first on line 4); scored as missing',
      '1 cell of "active" cannot be read ("maybe"; first on line 4); scored as missing',
    ]);
    expect(details).toEqual([
      { column: 'plan', kind: 'unseen-category', count: 1, examples: ['Enterprise'], firstLine: 3 },
      { column: 'fee', kind: 'unreadable', count: 1, examples: ['oops'], firstLine: 4 },
      { column: 'active', kind: 'unreadable', count: 1, examples: ['maybe'], firstLine: 4 },
    ]);
  });

  it('refuses a table without one of the model columns, naming it', () => {
    const table = readText('plan,fee,active\nPro,1,True\n');
    const error = thrown(() => applySchema(schema, table));
    expect(error.message).toBe('column "since" of the model is not in the table');
    expect(error.where.column).toBe('since');
  });
});

describe('labelVector', () => {
  it('compares trimmed texts', () => {
    expect(Array.from(labelVector(readText(TRAIN), 'churn', 'yes'))).toEqual([1, 0, 1, 0, 0, 0]);
  });

  it('falls back to comparing numbers, so 1 matches 1.0', () => {
    expect(Array.from(labelVector(readText('x,y\n1,1.0\n2,0.0\n3,1.0\n'), 'y', '1'))).toEqual([1, 0, 1]);
  });

  it('keeps the reference rule: numbers are compared only when no text matches', () => {
    expect(Array.from(labelVector(readText('x,y\n1,1.0\n2,0\n3,1\n'), 'y', '1'))).toEqual([0, 0, 1]);
  });

  it('refuses an absent label column, listing the columns', () => {
    const error = thrown(() => labelVector(readText(TRAIN), 'Churn', 'yes'));
    expect(error.message).toBe(
      'label column "Churn" not found (did you mean "churn"?); the columns are: id, plan, fee, active, since, empty, country, churn',
    );
  });

  it('refuses missing label values, naming the first line', () => {
    const error = thrown(() => labelVector(readText('x,y\n1,yes\n2,\n3,NA\n'), 'y', 'yes'));
    expect(error.message).toContain('has 2 missing values (the first on line 3)');
    expect(error.where).toMatchObject({ row: 3, column: 'y' });
  });

  it('refuses a positive value that is absent, listing the values seen', () => {
    const error = thrown(() => labelVector(readText(TRAIN), 'churn', 'Yes'));
    expect(error.message).toBe(
      'positive value "Yes" gives a single class (no row matches it); label values include "yes", "no"',
    );
  });

  it('refuses a label with a single class', () => {
    const error = thrown(() => labelVector(readText('x,y\n1,a\n2,a\n'), 'y', 'a'));
    expect(error.message).toContain('every row matches it');
  });
});
