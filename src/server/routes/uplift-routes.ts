// Uplift (R19): how well the uplift models learnt from the campaign history rank held-out members, per action
// kind — uplift among the top 10/20/30% and the Qini curve — for the dashboard; kinds with too little history
// say why they have no model.

import { z } from 'zod';
import { churnDefinitionFromConfig } from '../../labels/churn-definition.js';
import { currentUpliftModels } from '../../retention/uplift-model.js';
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
    heldOut: z.number().int().meta({ description: 'members the figures are measured on (not trained on)' }),
    upliftAtK: z.array(upliftAtK),
    qini: z.object({
      points: z.array(z.object({ fraction: z.number(), rows: z.number().int(), gain: z.number() })),
      coefficient: z.number().meta({ description: 'area between the Qini curve and random targeting' }),
    }),
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
      'The uplift models learnt from measured campaigns, one per action kind (a T-learner on the ' +
      'champion’s features at each campaign’s start): uplift@10/20/30% and the Qini curve on held-out ' +
      'members, or why a kind has no model (fewer than 200 members or 20 churned per arm).',
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
