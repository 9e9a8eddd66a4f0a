import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDataReport, displayWidth, formatDataReport } from './data-report.js';
import { inferTable } from './infer-types.js';
import { readCsv } from './read-csv.js';

const dir = mkdtempSync(join(tmpdir(), 'churnwatch-report-'));
const rows = Array.from({ length: 200 }, (_, i) =>
  [
    `u${i}`,
    ['华东', '华北'][i % 2],
    i === 7 ? 'n/a?' : String(i * 1.5),
    '',
    'same',
    `2024-01-${(i % 28) + 1}`,
    i % 3 ? 'no' : 'yes',
  ].join(','),
);
const path = join(dir, 'customers.csv');
writeFileSync(path, `user_id,region,spend,notes,source,signup,churned\n${rows.join('\n')}\n`);

describe('data report', () => {
  const table = readCsv(path);
  const report = buildDataReport(table, inferTable(table), { label: 'churned' });
  const col = (name: string) => report.columns.find((c) => c.name === name);

  it('describes every column with its role, type and problems', () => {
    expect(report).toMatchObject({
      file: path,
      encoding: 'utf-8',
      delimiter: ',',
      rows: 200,
      idColumn: 'user_id',
    });
    expect(col('user_id')).toMatchObject({ role: 'feature', type: 'categorical', distinct: 200 });
    expect(col('user_id')?.problems[0]).toContain('looks like an identifier');
    expect(col('region')).toMatchObject({ type: 'categorical', examples: ['华东', '华北'], problems: [] });
    expect(col('spend')).toMatchObject({ type: 'numeric', missing: 1 });
    expect(col('spend')?.problems).toEqual(['1 cell is not a number ("n/a?") on line 9; read as missing']);
    expect(col('notes')).toMatchObject({
      role: 'unused',
      type: 'empty',
      problems: ['empty in every row; not used'],
    });
    expect(col('source')?.problems).toEqual(['the same value "same" in every row; not used']);
    expect(col('signup')?.type).toBe('date');
    expect(col('churned')?.role).toBe('label');
    expect(report.warnings).toEqual([
      'column "signup" read as dates (days since 1970-01-01); the reference (pandas) reads dates as text',
    ]);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('formats a fixed-width table, counting CJK characters as two columns', () => {
    const text = formatDataReport(report);
    const lines = text.split('\n');
    const header = lines.find((l) => l.startsWith('column'));
    const region = lines.find((l) => l.startsWith('region'));
    expect(header?.indexOf('examples')).toBe(region?.indexOf('华东'));
    expect(text).toContain('Problems:\n  user_id: looks like an identifier');
    expect(displayWidth('华东, x')).toBe(7);
  });
});
