// The whole reading path on a real table: IBM's Telco Customer Churn sample (see shared/datasets/README.md).

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildDataReport, formatDataReport } from './data-report.js';
import { inferTable } from './infer-types.js';
import { labelVector } from './label.js';
import { readCsv } from './read-csv.js';
import { applySchema, fitSchema } from './schema.js';
import { cellText } from './table.js';
import { readCsvWhole, tableContents } from './testing/whole-text-reader.js';

const telcoPath = fileURLToPath(new URL('../../../shared/datasets/telco.csv', import.meta.url));

describe('telco.csv', () => {
  const table = readCsv(telcoPath);
  const inferred = inferTable(table);
  const byName = (name: string) => inferred[table.header.indexOf(name)];

  it('reads every cell, line and column fact as the whole-text reader does, and infers the same', () => {
    const whole = readCsvWhole(telcoPath);
    expect(tableContents(table)).toEqual(tableContents(whole));
    expect(inferred).toEqual(inferTable(whole));
    const schema = fitSchema(whole, inferTable(whole), { label: 'Churn', drop: ['customerID'] });
    expect(fitSchema(table, inferred, { label: 'Churn', drop: ['customerID'] })).toEqual(schema);
    expect(applySchema(schema, table)).toEqual(applySchema(schema, whole));
  });

  it('shares the numbers of a numeric column with the feature matrix instead of copying them', () => {
    const schema = fitSchema(table, inferred, { label: 'Churn', drop: ['customerID'] });
    const { matrix } = applySchema(schema, table);
    const tenure = table.columns[table.header.indexOf('tenure')];
    expect(tenure.kind).toBe('number');
    expect(matrix.columns[matrix.names.indexOf('tenure')]).toBe(tenure.kind === 'number' && tenure.numbers);
  });

  it('reads 7043 rows of 21 columns as UTF-8', () => {
    expect(table.nRows).toBe(7043);
    expect(table.header.length).toBe(21);
    expect(table.encoding).toBe('utf-8');
  });

  it('reads TotalCharges as numeric with its 11 blank cells missing, all where tenure is 0', () => {
    const total = byName('TotalCharges');
    expect(total).toMatchObject({ type: 'numeric', missing: 11, blankCells: 11, unparsed: { count: 0 } });
    const tenure = table.columns[table.header.indexOf('tenure')];
    const totals = table.columns[table.header.indexOf('TotalCharges')];
    for (let i = 0; i < table.nRows; i++) {
      if (cellText(totals, i) === null) expect(cellText(tenure, i)).toBe('0');
    }
  });

  it('types the other columns like pandas: SeniorCitizen numeric, Yes/No categorical', () => {
    expect(byName('SeniorCitizen').type).toBe('numeric');
    expect(byName('tenure')).toMatchObject({ type: 'numeric', integer: true, missing: 0 });
    expect(byName('Partner')).toMatchObject({ type: 'categorical', distinct: 2 });
    expect(byName('Contract').distinct).toBe(3);
    expect(inferred.filter((c) => c.type === 'numeric').map((c) => c.name)).toEqual([
      'SeniorCitizen',
      'tenure',
      'MonthlyCharges',
      'TotalCharges',
    ]);
  });

  it('flags customerID, and only it, as id-like', () => {
    expect(inferred.filter((c) => c.idLike).map((c) => c.name)).toEqual(['customerID']);
  });

  it('gives 1869 positives for Churn = Yes', () => {
    const y = labelVector(table, 'Churn', 'Yes');
    expect(y.reduce((sum, v) => sum + v, 0)).toBe(1869);
  });

  it('encodes 19 features after dropping customerID', () => {
    const schema = fitSchema(table, inferred, { label: 'Churn', drop: ['customerID'] });
    expect(schema.warnings).toEqual([]);
    const { matrix, problems } = applySchema(schema, table);
    expect(problems).toEqual([]);
    expect(matrix.names.length).toBe(19);
    const total = matrix.columns[matrix.names.indexOf('TotalCharges')];
    expect(total.filter(Number.isNaN).length).toBe(11);
    expect(matrix.categories[matrix.names.indexOf('Contract')]).toEqual([
      'Month-to-month',
      'One year',
      'Two year',
    ]);
  });

  it('reports the blank TotalCharges cells with their lines', () => {
    const report = buildDataReport(table, inferred, { label: 'Churn', drop: ['customerID'] });
    const total = report.columns.find((c) => c.name === 'TotalCharges');
    expect(total?.problems).toEqual([
      '11 cells hold only spaces (lines 490, 755, 938, 1084, 1342, ...); read as missing',
    ]);
    expect(report.columns.find((c) => c.name === 'customerID')?.role).toBe('dropped');
    expect(report.idColumn).toBe('customerID');
    expect(formatDataReport(report)).toContain('TotalCharges');
  });
});
