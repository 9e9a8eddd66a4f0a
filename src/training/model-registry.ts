// The model registry (R12): every workspace training run registers a version — its file under
// WORKSPACE/models/ and a row of table model_registry. One version is the champion, the one that scores;
// a new version takes over only when it is at least as good on the same test rows (or when forced).

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { ModelKind } from '../ml/classifier.js';
import { loadModel, type SavedModel, type SavedModelFile, saveModel } from '../tabular/saved-model.js';
import type { SqlCell, Warehouse } from '../warehouse/warehouse.js';

/** A version's standing: `champion` scores; `challenger` lost to the champion; `retired` was replaced. */
export type ModelStatus = 'champion' | 'challenger' | 'retired';

/** One row of model_registry. */
export interface RegistryEntry {
  version: number;
  kind: ModelKind;
  status: ModelStatus;
  createdAt: string;
  /** Relative to the workspace folder. */
  file: string;
  testCutoff: string;
  trainCutoffs: string[];
  rocAuc: number | null;
  prAuc: number | null;
  logLoss: number | null;
  brier: number | null;
  /** The training run's report (all kinds' results, per-cutoff figures, baseline), as stored. */
  report: unknown;
}

/** What a new version is registered with. */
export interface NewVersion {
  file: SavedModelFile;
  testCutoff: string;
  trainCutoffs: string[];
  metrics: { roc_auc: number; pr_auc: number; log_loss: number; brier: number };
  report: unknown;
  /** Whether it becomes the champion (the caller compared it with the current one). */
  promote: boolean;
}

const COLUMNS = `version, kind, status, CAST(created_at AS VARCHAR) AS created_at, file,
  CAST(test_cutoff AS VARCHAR) AS test_cutoff, train_cutoffs, roc_auc, pr_auc, log_loss, brier, report`;

/** Saves the model file and records the version in one transaction; returns its entry. */
export async function registerVersion(
  warehouse: Warehouse,
  workspace: string,
  version: NewVersion,
): Promise<RegistryEntry> {
  return warehouse.transaction(async (tx) => {
    const [row] = await tx.all<{ newest: number | null }>(
      'SELECT max(version) AS newest FROM model_registry',
    );
    const number = (row?.newest ?? 0) + 1;
    const file = join('models', `v${number}-${version.file.kind}.model.json`);
    mkdirSync(join(workspace, 'models'), { recursive: true });
    // Written inside the transaction: if the insert fails the file is an orphan, never a dangling row.
    saveModel(join(workspace, file), version.file);
    if (version.promote)
      await tx.run(`UPDATE model_registry SET status = 'retired' WHERE status = 'champion'`);
    const m = version.metrics;
    await tx.run(
      `INSERT INTO model_registry
        (version, kind, status, file, test_cutoff, train_cutoffs, roc_auc, pr_auc, log_loss, brier, report)
       VALUES (?, ?, ?, ?, CAST(? AS DATE), ?, ?, ?, ?, ?, ?)`,
      [
        number,
        version.file.kind,
        version.promote ? 'champion' : 'challenger',
        file,
        version.testCutoff,
        JSON.stringify(version.trainCutoffs),
        finite(m.roc_auc),
        finite(m.pr_auc),
        finite(m.log_loss),
        finite(m.brier),
        JSON.stringify(version.report),
      ],
    );
    const [entry] = await tx.all<Record<string, SqlCell>>(
      `SELECT ${COLUMNS} FROM model_registry WHERE version = ?`,
      [number],
    );
    return toEntry(entry!);
  });
}

/** Every version, newest first. */
export async function listVersions(warehouse: Warehouse): Promise<RegistryEntry[]> {
  const rows = await warehouse.all<Record<string, SqlCell>>(
    `SELECT ${COLUMNS} FROM model_registry ORDER BY version DESC`,
  );
  return rows.map(toEntry);
}

/** The champion's entry, or null before the first training run. */
export async function championEntry(warehouse: Warehouse): Promise<RegistryEntry | null> {
  const [row] = await warehouse.all<Record<string, SqlCell>>(
    `SELECT ${COLUMNS} FROM model_registry WHERE status = 'champion' ORDER BY version DESC LIMIT 1`,
  );
  return row ? toEntry(row) : null;
}

/** The version that scores: `version` when given, else the champion; InputError before any training run. */
export async function scoringEntry(warehouse: Warehouse, version?: number): Promise<RegistryEntry> {
  if (version !== undefined) return versionEntry(warehouse, version);
  const entry = await championEntry(warehouse);
  if (!entry) {
    throw new InputError('no model has been trained in this workspace: run `churnwatch train` first', {
      key: 'model_registry',
    });
  }
  return entry;
}

/** A version's entry by number; InputError naming the versions that exist when it does not. */
export async function versionEntry(warehouse: Warehouse, version: number): Promise<RegistryEntry> {
  const [row] = await warehouse.all<Record<string, SqlCell>>(
    `SELECT ${COLUMNS} FROM model_registry WHERE version = ?`,
    [version],
  );
  if (row) return toEntry(row);
  const known = (await listVersions(warehouse)).map((e) => e.version).reverse();
  throw new InputError(
    known.length === 0
      ? 'no model has been trained in this workspace: run `churnwatch train` first'
      : `model version ${version} does not exist; versions: ${known.join(', ')}`,
    { key: '--model-version' },
  );
}

/** Loads a registered version's model file; a workspace model file must say how its features are made. */
export function loadVersion(workspace: string, entry: RegistryEntry): SavedModel {
  const path = join(workspace, entry.file);
  const model = loadModel(path);
  if (!model.file.workspace) {
    throw new InputError('model file has no workspace section: it was not trained on a workspace', {
      file: path,
      key: 'workspace',
    });
  }
  return model;
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function toEntry(row: Record<string, SqlCell>): RegistryEntry {
  const num = (value: SqlCell) => (typeof value === 'number' ? value : null);
  return {
    version: Number(row.version),
    kind: row.kind as ModelKind,
    status: row.status as ModelStatus,
    createdAt: String(row.created_at),
    file: String(row.file),
    testCutoff: String(row.test_cutoff),
    trainCutoffs: JSON.parse(String(row.train_cutoffs)) as string[],
    rocAuc: num(row.roc_auc),
    prAuc: num(row.pr_auc),
    logLoss: num(row.log_loss),
    brier: num(row.brier),
    report: JSON.parse(String(row.report)),
  };
}
