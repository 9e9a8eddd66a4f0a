// The model registry: every version with its test figures, and one version in full (the training report's
// results, baseline, per-cutoff figures, groups and test curves; global importance from the model file).

import { join } from 'node:path';
import { z } from 'zod';
import type { FeatureImportance } from '../../tabular/saved-model.js';
import { listVersions, loadVersion, type RegistryEntry } from '../../training/model-registry.js';
import { HttpError } from '../http-error.js';
import { defineRoute } from '../route.js';

const metricsSchema = z.object({
  rocAuc: z.number().nullable(),
  prAuc: z.number().nullable(),
  logLoss: z.number().nullable(),
  brier: z.number().nullable(),
});

const versionSchema = z
  .object({
    version: z.number().int(),
    kind: z.string(),
    status: z.enum(['champion', 'challenger', 'retired']),
    createdAt: z.string(),
    testCutoff: z.string().meta({ format: 'date' }),
    trainCutoffs: z.array(z.string()),
    metrics: metricsSchema,
  })
  .meta({ id: 'ModelVersion' });

const importanceSchema = z.object({
  feature: z.string(),
  gain: z.number().nullable(),
  meanAbsContribution: z.number(),
});

/** Importance per model file (files never change once registered), so a version's page reads it once. */
const importanceCache = new Map<string, FeatureImportance[] | null>();

export const modelRoutes = [
  defineRoute({
    id: 'listModels',
    method: 'GET',
    path: '/api/models',
    access: 'models:read',
    tag: 'models',
    summary: 'Every registered model version, newest first, with its status and test figures.',
    response: z.object({ models: z.array(versionSchema) }),
    handler: async ({ deps }) => ({ models: (await listVersions(deps.warehouse)).map(summary) }),
  }),
  defineRoute({
    id: 'getModel',
    method: 'GET',
    path: '/api/models/:version',
    access: 'models:read',
    tag: 'models',
    summary:
      'One model version in full: the training report (results of every kind, baseline, per-cutoff figures, ' +
      'groups, test curves: ROC, PR with thresholds, lift by decile, calibration) and global feature importance.',
    response: versionSchema.extend({
      report: z.record(z.string(), z.unknown()).meta({ description: 'the training run’s report, as stored' }),
      importance: z
        .array(importanceSchema)
        .nullable()
        .meta({ description: 'from the model file; null when the file cannot be read' }),
    }),
    handler: async ({ deps, params }) => {
      if (!/^[1-9]\d{0,8}$/.test(params.version)) {
        throw new HttpError(
          400,
          'invalid_path',
          'the model version must be a whole number ≥ 1',
          'path version',
        );
      }
      const version = Number(params.version);
      const entry = (await listVersions(deps.warehouse)).find((e) => e.version === version);
      if (!entry) {
        throw new HttpError(404, 'model_not_found', `no model version ${version}`, 'path version');
      }
      return {
        ...summary(entry),
        report: (entry.report ?? {}) as Record<string, unknown>,
        importance: importanceOf(deps.workspace, entry),
      };
    },
  }),
];

function summary(entry: RegistryEntry): z.input<typeof versionSchema> {
  return {
    version: entry.version,
    kind: entry.kind,
    status: entry.status,
    createdAt: entry.createdAt,
    testCutoff: entry.testCutoff,
    trainCutoffs: entry.trainCutoffs,
    metrics: { rocAuc: entry.rocAuc, prAuc: entry.prAuc, logLoss: entry.logLoss, brier: entry.brier },
  };
}

function importanceOf(workspace: string, entry: RegistryEntry): FeatureImportance[] | null {
  const key = join(workspace, entry.file);
  if (!importanceCache.has(key)) {
    let importance: FeatureImportance[] | null = null;
    try {
      importance = loadVersion(workspace, entry).file.importance;
    } catch {
      // A missing or unreadable file leaves the registry's figures; the page shows no importance.
    }
    importanceCache.set(key, importance);
  }
  return importanceCache.get(key) ?? null;
}
