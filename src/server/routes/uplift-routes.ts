// Uplift (R19): how well the uplift models learnt from the campaign history rank held-out members, per action
// kind — uplift among the top 10/20/30% and the Qini curve — for the dashboard; kinds with too little history
// say why they have no model.

import { z } from 'zod';
import { churnDefinitionFromConfig } from '../../labels/churn-definition.js';
import { currentUpliftModels, UPLIFT_ESTIMATORS } from '../../retention/uplift-model.js';
import { defineRoute } from '../route.js';
import { appendConfig } from '../workspace-config.js';

const counts = z.object({
  treated: z.number().int(),
  control: z.number().int(),
  treatedChurned: z.number().int(),
  controlChurned: z.number().int(),
});

const upliftAtK = z.object({
  fraction: z.number(),
  rows: z.number().int(),
  treatedRows: z.number().int(),
  controlRows: z.number().int(),
  treatedRate: z.number().nullable(),
  controlRate: z.number().nullable(),
  uplift: z.number().nullable().meta({ description: 'control − treated churn rate among the top fraction' }),
});

const qini = z.object({
  points: z.array(z.object({ fraction: z.number(), rows: z.number().int(), gain: z.number() })),
  coefficient: z.number().meta({ description: 'area between the Qini curve and random targeting' }),
});

const estimatorName = z.enum(UPLIFT_ESTIMATORS).meta({
  description:
    'cause_mix: the churn model’s risk × the relative reduction measured per churn cause; ' +
    't_learner: two churn models on the features, treated and control',
});

const kindReport = z.discriminatedUnion('status', [
  z.object({
    actionKind: z.string(),
    status: z.literal('skipped'),
    reason: z.string(),
    counts,
  }),
  z.object({
    actionKind: z.string(),
    status: z.literal('trained'),
    counts,
    heldOut: z.number().int().meta({
      description: 'members the figures are measured on, each by models fitted on the other folds',
    }),
    estimator: estimatorName.meta({ description: 'the estimator whose uplift is served' }),
    upliftAtK: z.array(upliftAtK),
    qini,
    estimators: z.array(
      z.object({
        estimator: estimatorName,
        upliftAtK: z.array(upliftAtK),
        qini,
        winShare: z.number().nullable().meta({
          description:
            'share of bootstrap resamples in which it beats the default estimator (null: the default)',
        }),
      }),
    ),
  }),
]);

export const upliftRoutes = [
  defineRoute({
    id: 'getUplift',
    method: 'GET',
    path: '/api/uplift',
    access: 'campaigns:read',
    tag: 'campaigns',
    summary:
      'The uplift models learnt from measured campaigns, one per action kind: the cause mix (risk × the ' +
      'relative reduction per churn cause) and a T-learner on the champion’s features at each campaign’s ' +
      'start, both judged by 3-fold cross-fitting (uplift@10/20/30%, Qini curve); the T-learner serves only ' +
      'when it beats the cause mix in 95% of bootstrap resamples. A kind without enough history says why ' +
      '(fewer than 200 members or 20 churned per arm).',
    response: z
      .object({
        modelVersion: z.number().int().nullable(),
        members: z.number().int().meta({ description: 'campaign members with a measured outcome' }),
        scoredAt: z
          .string()
          .nullable()
          .meta({ description: 'the scoring date the customers’ uplift is for' }),
        kinds: z.array(kindReport),
      })
      .meta({ id: 'UpliftModels' }),
    handler: async ({ deps }) => {
      const config = appendConfig(deps.workspace);
      const models = await currentUpliftModels(deps.warehouse, {
        workspace: deps.workspace,
        definition: churnDefinitionFromConfig(config.churn),
      });
      return {
        modelVersion: models.modelVersion,
        members: models.members,
        scoredAt: models.scoredAt,
        kinds: models.kinds,
      };
    },
  }),
];
