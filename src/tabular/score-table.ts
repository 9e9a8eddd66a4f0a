// The quick path's scoring stage: a saved model scores raw rows of a new table — probability, tier, drivers.

import type { RequestedEncoding } from '../data/decode.js';
import { readCsv } from '../data/read-csv.js';
import { applySchema } from '../data/schema.js';
import { cellText } from '../data/table.js';
import { applyCalibrator } from '../ml/calibration.js';
import { takeRows } from '../ml/matrix.js';
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

/** Rows explained at a time: progress moves, and the contributions of a big file are never all in memory. */
const EXPLAIN_CHUNK = 2048;

/** Scores every row of `file` with `model`; the id is the model's id column, or the 1-based row number. */
export function scoreTable(
  model: SavedModel,
  file: string,
  options: {
    encoding?: RequestedEncoding;
    locale?: Locale;
    drivers?: number;
    onProgress?: (done: number, total: number) => void;
  } = {},
): ScoreTableResult {
  const table = readCsv(file, { encoding: options.encoding ?? 'auto' });
  const { matrix: X, problems } = applySchema(model.file.schema, table);
  const raw = model.classifier.predictProba(X);
  const probability = model.file.calibration ? applyCalibrator(model.file.calibration, raw) : raw;
  const idIndex = model.file.idColumn ? table.header.indexOf(model.file.idColumn) : -1;
  const sources = model.file.schema.columns.map((column) => column.source);
  const rows: ScoredRow[] = [];
  for (let begin = 0; begin < X.nRows; begin += EXPLAIN_CHUNK) {
    const end = Math.min(X.nRows, begin + EXPLAIN_CHUNK);
    const chunk = takeRows(
      X,
      Array.from({ length: end - begin }, (_, i) => begin + i),
    );
    const contributions = model.classifier.contributions(chunk);
    for (let row = begin; row < end; row++) {
      rows.push({
        id: idIndex >= 0 ? (cellText(table.columns[idIndex], row) ?? '') : String(row + 1),
        probability: probability[row],
        tier: tierOf(probability[row], model.file.tiers),
        drivers: topDrivers(
          chunk,
          contributions,
          row - begin,
          options.drivers ?? 3,
          options.locale ?? 'en',
          sources,
        ),
      });
    }
    options.onProgress?.(end, X.nRows);
  }
  return { rows, tiers: countTiers(probability, model.file.tiers), problems };
}
