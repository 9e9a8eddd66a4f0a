// The 0/1 label vector of a table, by the reference's rule (bench/ref_gbdt.py, load_csv): compare trimmed texts,
// and when nothing matches compare as numbers, so that `--positive 1` matches cells reading "1.0".

import { InputError } from '../errors.js';
import { isNaToken, parseNumber } from './parse-cell.js';
import { asTextColumn, lineOfRow, type Table } from './table.js';

/** Returns 1 where the label column equals `positive`, else 0; throws InputError for an unusable label. */
export function labelVector(table: Table, label: string, positive: string): Uint8Array {
  const j = table.header.indexOf(label);
  if (j < 0) throw new InputError(labelNotFound(table.header, label), { file: table.file, column: label });
  // A numeric label column (0/1) has a handful of distinct values: its dictionary is cheap.
  const column = asTextColumn(table.columns[j]);
  const where = { file: table.file, column: label };

  // Like pandas with dtype=str: empty cells and NA tokens are missing.
  const missingValue = column.values.map((v) => isNaToken(v));
  let missing = 0;
  let firstMissing = -1;
  for (let i = 0; i < table.nRows; i++) {
    const code = column.codes[i];
    if (code < 0 || missingValue[code]) {
      missing++;
      if (firstMissing < 0) firstMissing = i;
    }
  }
  if (missing > 0) {
    const line = lineOfRow(table, firstMissing);
    throw new InputError(
      `label column "${label}" has ${missing} missing value${missing === 1 ? '' : 's'} (the first on line ${line}); ` +
        'remove those rows or fill them in',
      { ...where, row: line },
    );
  }

  const wanted = positive.trim();
  let isPositive = column.values.map((v) => v.trim() === wanted);
  if (!isPositive.some(Boolean)) {
    const target = parseNumber(wanted);
    if (!Number.isNaN(target)) isPositive = column.values.map((v) => parseNumber(v) === target);
  }
  const y = new Uint8Array(table.nRows);
  let positives = 0;
  for (let i = 0; i < table.nRows; i++) {
    if (isPositive[column.codes[i]]) {
      y[i] = 1;
      positives++;
    }
  }
  if (positives === 0 || positives === table.nRows) {
    const seen = [...new Set(column.values.map((v) => v.trim()))].slice(0, 10).map((v) => JSON.stringify(v));
    throw new InputError(
      `positive value ${JSON.stringify(positive)} gives a single class (${positives === 0 ? 'no row matches it' : 'every row matches it'}); ` +
        `label values include ${seen.join(', ')}`,
      where,
    );
  }
  return y;
}

function labelNotFound(header: string[], label: string): string {
  const near = header.find((h) => h.trim().toLowerCase() === label.trim().toLowerCase());
  const hint = near === undefined ? '' : ` (did you mean "${near}"?)`;
  const shown = header.length > 30 ? [...header.slice(0, 30), '...'] : header;
  return `label column "${label}" not found${hint}; the columns are: ${shown.join(', ')}`;
}
