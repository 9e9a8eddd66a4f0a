// Global feature importance of a trained model: total split gain (trees) and mean |contribution| over rows.

import type { Classifier } from '../ml/classifier.js';
import { meanAbsShap } from '../ml/importance.js';
import type { FeatureMatrix } from '../ml/matrix.js';
import { takeRows } from '../ml/matrix.js';
import type { FeatureImportance } from './saved-model.js';

/** Enough rows for a stable mean |SHAP| without paying TreeSHAP on every test row. */
const MAX_EXPLAIN_ROWS = 5000;
/** Never fewer: a big forest costs about half a second of TreeSHAP per row, so the floor stays low. */
const MIN_EXPLAIN_ROWS = 50;
/** About two seconds of TreeSHAP at the speed measured on this project's machines (nodes × depth per row). */
const EXPLAIN_BUDGET = 1.2e8;

/** Gain and mean |contribution| per feature, sorted by mean |contribution| descending. */
export function globalImportance(classifier: Classifier, X: FeatureMatrix): FeatureImportance[] {
  const budget = Math.floor(EXPLAIN_BUDGET / Math.max(1, classifier.explainCost));
  const wanted = Math.min(MAX_EXPLAIN_ROWS, Math.max(MIN_EXPLAIN_ROWS, budget));
  const step = Math.max(1, Math.ceil(X.nRows / wanted));
  const rows = Array.from({ length: Math.ceil(X.nRows / step) }, (_, i) => i * step);
  const sample = takeRows(X, rows);
  const { values, nFeatures } = classifier.contributions(sample);
  const meanAbs = meanAbsShap(values, sample.nRows, nFeatures);
  const gain = classifier.gainImportance();
  return X.names
    .map((feature, j) => ({
      feature,
      gain: gain ? gain[j] : null,
      meanAbsContribution: meanAbs[j],
    }))
    .sort((a, b) => b.meanAbsContribution - a.meanAbsContribution || (b.gain ?? 0) - (a.gain ?? 0));
}
