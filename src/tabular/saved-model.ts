// A saved model file: everything needed to score raw rows of a new table without the training data —
// the column schema, the learned model, its calibration, and what it measured at training time.

import { readFileSync, writeFileSync } from 'node:fs';
import { SCHEMA_FORMAT, SCHEMA_VERSION, type Schema } from '../data/schema.js';
import { InputError } from '../errors.js';
import type { FeatureSet } from '../features/feature-nodes.js';
import type { ChurnDefinition } from '../labels/churn-definition.js';
import type { Calibrator } from '../ml/calibration.js';
import { type Classifier, MODEL_KINDS, type ModelKind } from '../ml/classifier.js';
import { gainImportance } from '../ml/importance.js';
import { MODEL_FACTORIES, treeClassifier } from '../ml/model-kinds.js';
import { isXgboostModel, loadXgboostJson } from '../ml/xgboost-json.js';
import { DEFAULT_TIERS, type TierThresholds } from '../scoring/tiers.js';
import type { SubModels } from '../training/sub-models.js';

export const MODEL_FORMAT = 'churnwatch.model';
export const MODEL_VERSION = 1;

/** Global importance of one feature. */
export interface FeatureImportance {
  feature: string;
  gain: number | null;
  meanAbsContribution: number;
}

/** The file's content, as written. */
export interface SavedModelFile {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  kind: ModelKind;
  createdAt: string;
  label: { column: string; positive: string };
  idColumn: string | null;
  schema: Schema;
  model: unknown;
  calibration: Calibrator | null;
  tiers: TierThresholds;
  metrics: Record<string, number | null>;
  importance: FeatureImportance[];
  /** Models trained on a workspace: what they were trained on, so scoring rebuilds the same features. */
  workspace?: WorkspaceModelInfo;
}

/** How a workspace model's rows were made: feature definitions, churn definition, cutoffs. */
export interface WorkspaceModelInfo {
  features: FeatureSet;
  churn: ChurnDefinition;
  trainCutoffs: string[];
  testCutoff: string;
  /** Where the data ended when the model was trained (`YYYY-MM-DD HH:MM:SS`). */
  dataEnd: string;
  /** Groups (e.g. segments) that score with a model of their own. */
  subModels?: SubModels;
}

/** A loaded model: the file plus the live classifier. */
export interface SavedModel {
  file: SavedModelFile;
  classifier: Classifier;
}

/** Writes a model file (pretty enough to diff, compact enough to ship). */
export function saveModel(path: string, file: SavedModelFile): void {
  writeFileSync(path, `${JSON.stringify(file)}\n`);
}

/** Reads a model file, refusing other formats, other versions and corrupted content with a clear error. */
export function loadModel(path: string): SavedModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'model file not found' : `cannot read model file (${code})`, {
      file: path,
    });
  }
  let doc: Partial<SavedModelFile>;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new InputError('model file is corrupted: not valid JSON', { file: path }, { cause: error });
  }
  if (isXgboostModel(doc)) return fromXgboost(doc, path);
  if (!doc || typeof doc !== 'object' || doc.format !== MODEL_FORMAT) {
    throw new InputError(`not a churnwatch model file (expected format "${MODEL_FORMAT}")`, {
      file: path,
      key: 'format',
    });
  }
  if (doc.version !== MODEL_VERSION) {
    throw new InputError(
      `model file version ${String(doc.version)} is not supported by this churnwatch (reads version ${MODEL_VERSION}); retrain the model`,
      { file: path, key: 'version' },
    );
  }
  if (!MODEL_KINDS.includes(doc.kind as ModelKind)) {
    throw new InputError(`unknown model kind ${JSON.stringify(doc.kind)}`, { file: path, key: 'kind' });
  }
  for (const key of ['label', 'schema', 'model', 'metrics', 'importance'] as const) {
    if (doc[key] === undefined || doc[key] === null) {
      throw new InputError('model file is corrupted', { file: path, key });
    }
  }
  try {
    const classifier = MODEL_FACTORIES[doc.kind as ModelKind].fromJSON(doc.model);
    return { file: { tiers: DEFAULT_TIERS, ...doc } as SavedModelFile, classifier };
  } catch (error) {
    if (error instanceof InputError) {
      throw new InputError(error.message, {
        ...error.where,
        file: path,
        key: `model.${error.where.key ?? ''}`,
      });
    }
    throw new InputError('model file is corrupted', { file: path, key: 'model' }, { cause: error });
  }
}

/**
 * An XGBoost model saved as JSON (`booster.save_model('m.json')`), scored on numeric columns named by its
 * feature names (or f0, f1, … when it has none); no calibration, no id column.
 */
function fromXgboost(doc: unknown, path: string): SavedModel {
  const xgb = loadXgboostJson(doc, path);
  const names = xgb.featureNames ?? Array.from({ length: xgb.nFeatures }, (_, j) => `f${j}`);
  const gain = gainImportance(xgb.ensemble, xgb.nFeatures).total;
  const schema: Schema = {
    format: SCHEMA_FORMAT,
    version: SCHEMA_VERSION,
    label: '',
    columns: names.map((name) => ({ name, kind: 'numeric', source: 'numeric' })),
    excluded: [],
    warnings: [],
  };
  const file: SavedModelFile = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    kind: 'gbdt',
    createdAt: '',
    label: { column: '', positive: '' },
    idColumn: null,
    schema,
    model: null,
    calibration: null,
    tiers: DEFAULT_TIERS,
    metrics: {},
    importance: names
      .map((feature, j) => ({ feature, gain: gain[j], meanAbsContribution: 0 }))
      .sort((a, b) => (b.gain ?? 0) - (a.gain ?? 0)),
  };
  return { file, classifier: treeClassifier('gbdt', xgb.ensemble, xgb.nFeatures, xgb.bestIteration) };
}
