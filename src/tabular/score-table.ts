// The quick path's scoring stage: a saved model scores raw rows of a new table — probability, tier, drivers.

import type { RequestedEncoding } from '../data/decode.js';
import { readCsv } from '../data/read-csv.js';
import { applySchema } from '../data/schema.js';
import { cellText } from '../data/table.js';
import { applyCalibrator } from '../ml/calibration.js';
import { type Driver, type Locale, topDrivers } from '../scoring/drivers.js';
import { countTiers, type Tier, tierOf } from '../scoring/tiers.js';
import type { SavedModel } from './saved-model.js';

/** One scored customer. */
export interface ScoredRow {
  id: string;
  probability: number;
  tier: Tier;
  drivers: Driver[];
}

/** The scores of a whole table, with what went wrong on the way. */
export interface ScoreTableResult {
  rows: ScoredRow[];
  tiers: Record<Tier, number>;
  problems: string[];
}

/** Scores every row of `file` with `model`; the id is the model's id column, or the 1-based row number. */
export function scoreTable(
  model: SavedModel,
  file: string,
  options: { encoding?: RequestedEncoding; locale?: Locale; drivers?: number } = {},
): ScoreTableResult {
  const table = readCsv(file, { encoding: options.encoding ?? 'auto' });
  const { matrix: X, problems } = applySchema(model.file.schema, table);
  const raw = model.classifier.predictProba(X);
  const probability = model.file.calibration ? applyCalibrator(model.file.calibration, raw) : raw;
  const contributions = model.classifier.contributions(X);
  const idIndex = model.file.idColumn ? table.header.indexOf(model.file.idColumn) : -1;
  const rows: ScoredRow[] = [];
  for (let row = 0; row < X.nRows; row++) {
    rows.push({
      id: idIndex >= 0 ? (cellText(table.columns[idIndex], row) ?? '') : String(row + 1),
      probability: probability[row],
      tier: tierOf(probability[row], model.file.tiers),
      drivers: topDrivers(X, contributions, row, options.drivers ?? 3, options.locale ?? 'en'),
    });
  }
  return { rows, tiers: countTiers(probability, model.file.tiers), problems };
}
