// A score's main drivers: the features whose contributions move this customer's risk most, in words.

import type { Contributions } from '../ml/classifier.js';
import type { FeatureMatrix } from '../ml/matrix.js';

export type Locale = 'en' | 'zh-CN';

/** One driver: the feature, the customer's value as text, and its contribution to the score. */
export interface Driver {
  feature: string;
  value: string;
  contribution: number;
}

const MISSING: Record<Locale, string> = { en: 'missing', 'zh-CN': '缺失' };

/** How a numeric feature was written in the file, where it was not a plain number. */
export type ValueSource = 'numeric' | 'boolean' | 'date' | 'categorical';

const MS_PER_DAY = 86_400_000;

/** The customer's value of feature j as a user would write it: dates as dates, booleans as true/false. */
export function describeValue(
  X: FeatureMatrix,
  feature: number,
  row: number,
  locale: Locale = 'en',
  source: ValueSource = 'numeric',
): string {
  const x = X.columns[feature][row];
  if (Number.isNaN(x)) return MISSING[locale];
  if (X.kinds[feature] === 'categorical') return X.categories[feature][x] ?? MISSING[locale];
  // Dates are stored as days since 1970-01-01 (UTC), booleans as 0/1.
  if (source === 'date') return new Date(x * MS_PER_DAY).toISOString().slice(0, 10);
  if (source === 'boolean') return x === 1 ? 'true' : 'false';
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}

/** The `count` features with the largest |contribution| for `row`, strongest first. */
export function topDrivers(
  X: FeatureMatrix,
  contributions: Contributions,
  row: number,
  count = 3,
  locale: Locale = 'en',
  sources: readonly ValueSource[] = [],
): Driver[] {
  const width = contributions.nFeatures + 1;
  const offset = row * width;
  const order = Array.from({ length: contributions.nFeatures }, (_, j) => j)
    .filter((j) => contributions.values[offset + j] !== 0)
    .sort(
      (a, b) =>
        Math.abs(contributions.values[offset + b]) - Math.abs(contributions.values[offset + a]) || a - b,
    );
  return order.slice(0, count).map((j) => ({
    feature: X.names[j],
    value: describeValue(X, j, row, locale, sources[j]),
    contribution: contributions.values[offset + j],
  }));
}

/** `Contract = Month-to-month (+0.21)`. */
export function formatDriver(driver: Driver): string {
  const sign = driver.contribution >= 0 ? '+' : '-';
  return `${driver.feature} = ${driver.value} (${sign}${Math.abs(driver.contribution).toFixed(2)})`;
}
