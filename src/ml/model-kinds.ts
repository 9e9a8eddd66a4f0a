// The registry of model kinds: how each is trained from `TrainSettings` and read back from JSON.
// A new kind does not compile until it is registered here.

import { InputError } from '../errors.js';
import type { Classifier, ModelFactory, ModelKind, TrainSettings } from './classifier.js';
import { ensemblePredictor, probabilityFromRaw, type TreeEnsemble } from './ensemble.js';
import { trainForest } from './forest.js';
import { trainGbdt } from './gbdt.js';
import { gainImportance } from './importance.js';
import { type LogisticModel, logisticContributions, predictLogistic, trainLogistic } from './logistic.js';
import type { FeatureMatrix } from './matrix.js';
import { ensembleFromJSON, ensembleToJSON } from './model.js';
import { ensembleShap } from './shap.js';
import type { Tree } from './tree.js';

/** A tree ensemble as a classifier: probabilities, TreeSHAP contributions, gain importance. */
export function treeClassifier(
  kind: 'gbdt' | 'random_forest',
  ensemble: TreeEnsemble,
  nFeatures: number,
  bestIteration?: number,
): Classifier {
  const predictRaw = ensemblePredictor(ensemble);
  return {
    kind,
    bestIteration,
    explainCost: ensemble.trees.reduce((sum, tree) => sum + tree.feature.length * treeDepth(tree), 0),
    predictProba: (X: FeatureMatrix, options) =>
      probabilityFromRaw(ensemble, predictRaw(X.columns, X.nRows, options)),
    contributions: (X: FeatureMatrix) => ({
      values: ensembleShap(ensemble, X.columns, X.nRows, nFeatures),
      nFeatures,
      space: ensemble.aggregate === 'sum' ? 'margin' : 'probability',
    }),
    gainImportance: () => gainImportance(ensemble, nFeatures).total,
    toJSON: () => ({ nFeatures, bestIteration: bestIteration ?? null, ensemble: ensembleToJSON(ensemble) }),
  };
}

/** Depth of the deepest leaf (the root alone has depth 0). */
function treeDepth(tree: Tree): number {
  const depth = new Int32Array(tree.feature.length);
  let deepest = 0;
  for (let node = 0; node < tree.feature.length; node++) {
    if (tree.feature[node] < 0) continue;
    for (const child of [tree.left[node], tree.right[node]]) {
      depth[child] = depth[node] + 1;
      deepest = Math.max(deepest, depth[child]);
    }
  }
  return deepest;
}

/** Reads the JSON written by `treeClassifier(...).toJSON()`. */
function treeClassifierFromJSON(kind: 'gbdt' | 'random_forest', json: unknown): Classifier {
  const doc = (json ?? {}) as { nFeatures?: unknown; bestIteration?: unknown; ensemble?: unknown };
  if (typeof doc.nFeatures !== 'number')
    throw new InputError('model file is corrupted', { key: 'nFeatures' });
  const ensemble = ensembleFromJSON(doc.ensemble, 'ensemble');
  const best = typeof doc.bestIteration === 'number' ? doc.bestIteration : undefined;
  return treeClassifier(kind, ensemble, doc.nFeatures, best);
}

function logisticClassifier(model: LogisticModel): Classifier {
  return {
    kind: 'logistic_regression',
    explainCost: model.coef.length,
    predictProba: (X) => predictLogistic(model, X),
    contributions: (X) => ({ ...logisticContributions(model, X), space: 'margin' }),
    gainImportance: () => undefined,
    toJSON: () => model,
  };
}

export const MODEL_FACTORIES = {
  gbdt: {
    train(X, y, settings: TrainSettings) {
      const trained = trainGbdt(X, y, {
        rounds: settings.rounds,
        earlyStoppingRounds: settings.validRows.length > 0 ? settings.earlyStoppingRounds : 0,
        trainRows: settings.validRows.length > 0 ? settings.fitRows : settings.trainRows,
        validRows: settings.validRows.length > 0 ? settings.validRows : undefined,
        scalePosWeight: settings.positiveWeight,
        seed: settings.seed,
        threads: settings.threads,
        onProgress: (round, total) => settings.onProgress?.(round, total),
      });
      return treeClassifier('gbdt', trained.ensemble, X.names.length, trained.bestIteration);
    },
    fromJSON: (json) => treeClassifierFromJSON('gbdt', json),
  },
  random_forest: {
    train(X, y, settings) {
      const ensemble = trainForest(X, y, {
        trees: settings.forestTrees,
        minSamplesLeaf: 5,
        seed: settings.seed,
        trainRows: settings.trainRows,
        classWeight: settings.positiveWeight,
        onProgress: (done, total) => settings.onProgress?.(done, total),
      });
      return treeClassifier('random_forest', ensemble, X.names.length);
    },
    fromJSON: (json) => treeClassifierFromJSON('random_forest', json),
  },
  logistic_regression: {
    train(X, y, settings) {
      return logisticClassifier(
        trainLogistic(X, y, { C: 1, rows: settings.trainRows, classWeight: settings.positiveWeight }),
      );
    },
    fromJSON(json) {
      const doc = json as Partial<LogisticModel> | null;
      if (doc?.kind !== 'logistic_regression' || !Array.isArray(doc.coef) || !doc.design) {
        throw new InputError('model file is corrupted: no logistic regression', { key: 'kind' });
      }
      if (doc.coef.length !== doc.design.columnFeature?.length) {
        throw new InputError('model file is corrupted: coefficients do not match the design', {
          key: 'coef',
        });
      }
      return logisticClassifier(doc as LogisticModel);
    },
  },
} satisfies Record<ModelKind, ModelFactory>;
