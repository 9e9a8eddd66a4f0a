// A user brings an XGBoost model (its own JSON format): churnwatch scores and explains it like its own.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli, tempDir, writeFile } from './cli-helpers.js';

const golden = JSON.parse(
  readFileSync(new URL('../../shared/golden/treeshap.json', import.meta.url), 'utf8'),
) as { X: (number | null)[][]; prob: number[]; shap_values: number[][]; model: unknown; n_features: number };

describe('an XGBoost JSON model', () => {
  const dir = tempDir();
  const model = writeFile(dir, 'xgb.json', JSON.stringify(golden.model));
  const names = Array.from({ length: golden.n_features }, (_, j) => `f${j}`);
  // Doubles print shortest-round-trip, so the CSV holds exactly the golden values.
  const csv = [
    names.join(','),
    ...golden.X.map((row) => row.map((x) => (x === null ? '' : String(x))).join(',')),
  ];
  const data = writeFile(dir, 'rows.csv', `${csv.join('\n')}\n`);

  it('scores rows with the probabilities XGBoost gave them', () => {
    const run = cli(['score', model, data, '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const rows = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows).toHaveLength(golden.X.length);
    rows.forEach((row, i) => {
      expect(Math.abs(row.probability - golden.prob[i])).toBeLessThanOrEqual(1e-6);
      // The strongest driver is XGBoost's own largest |SHAP| feature (float32 noise aside).
      const shap = golden.shap_values[i].slice(0, -1);
      const strongest = Math.max(...shap.map(Math.abs));
      expect(Math.abs(row.drivers[0].contribution)).toBeCloseTo(strongest, 4);
    });
  });

  it('explains it by split gain, and by mean |SHAP| on given rows', () => {
    const gainOnly = cli(['explain', model]);
    expect(gainOnly.status).toBe(0);
    expect(gainOnly.stdout).toContain('split gain only');
    const withData = cli(['explain', model, '--data', data, '--json']);
    const { importance } = JSON.parse(withData.stdout);
    const meanAbs = names.map(
      (_, j) => golden.shap_values.reduce((s, r) => s + Math.abs(r[j]), 0) / golden.X.length,
    );
    const top = meanAbs.indexOf(Math.max(...meanAbs));
    expect(importance[0].feature).toBe(`f${top}`);
    expect(importance[0].meanAbsContribution).toBeCloseTo(meanAbs[top], 4);
  });
});
