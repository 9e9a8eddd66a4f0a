// Campaigns (R18): preview (nothing written) and launch a campaign — target from a tier/segment/reason filter
// or a list, strategies matched or one assigned, a seeded hold-out — list and read them with progress,
// export their actions as CSV for the delivering systems, and take those systems' callbacks.

import { z } from 'zod';
import { churnDefinitionFromConfig } from '../../labels/churn-definition.js';
import { getCampaign, listCampaigns } from '../../retention/campaign-progress.js';
import { CAUSE_TAGS } from '../../retention/cause-tags.js';
import { launchCampaign, previewCampaign } from '../../retention/create-campaign.js';
import { exportActionsCsv } from '../../retention/export-actions.js';
import { measureCampaign } from '../../retention/measure-campaign.js';
import { ACTION_STATUSES, recordCallbacks } from '../../retention/record-callbacks.js';
import { currentUpliftModels, type UpliftModels } from '../../retention/uplift-model.js';
import { recordAudit } from '../../security/audit-log.js';
import { actorOf } from '../../security/principal.js';
import { getCampaignTruth } from '../../simulate/campaign-truth-query.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { HttpError } from '../http-error.js';
import { defineRoute, signedIn } from '../route.js';
import { appendConfig } from '../workspace-config.js';

const TIERS = ['high', 'medium', 'low'] as const;
const MAX_CALLBACKS = 5000;
const MAX_LISTED_CUSTOMERS = 10_000;

const campaignBody = z
  .object({
    name: z.string().min(1).max(200),
    mode: z.enum(['match', 'assign']).default('match').meta({
      description: 'match: the best strategy per customer; assign: the one strategy in strategyIds',
    }),
    strategyIds: z.array(z.string().min(1).max(100)).min(1).max(100).optional(),
    target: z
      .object({
        tiers: z.array(z.enum(TIERS)).min(1).optional(),
        segment: z.string().min(1).max(100).optional(),
        reason: z
          .string()
          .min(1)
          .max(100)
          .optional()
          .meta({
            description: `a cause tag (${CAUSE_TAGS.join(', ')}), a driver feature or a word of the reasons`,
          }),
        customerIds: z.array(z.string().min(1).max(200)).min(1).max(MAX_LISTED_CUSTOMERS).optional(),
      })
      .strict()
      .default({})
      .meta({ description: 'without tiers or customerIds: the high and medium tiers' }),
    budget: z
      .number()
      .min(0)
      .max(1e12)
      .nullable()
      .default(null)
      .meta({ description: 'null or absent: no limit; 0 is refused with 400 zero_budget' }),
    controlShare: z.number().min(0).max(0.9).default(0.1),
    seed: z.number().int().min(0).max(2_147_483_647).optional(),
    priorWeight: z
      .number()
      .min(0)
      .max(1_000_000)
      .optional()
      .meta({ description: 'k of the save-rate shrinkage' }),
    ranking: z
      .enum(['risk', 'uplift'])
      .default('risk')
      .meta({
        description:
          'risk: P(churn) × value × save rate − cost; uplift: the estimated churn reduction of the strategy’s ' +
          'action kind × value − cost, where an uplift model exists (see GET /api/uplift), else risk',
      }),
  })
  .strict();

const share = z.object({ count: z.number().int(), share: z.number() });

const progressSchema = z
  .object({
    statuses: z.object(
      Object.fromEntries(ACTION_STATUSES.map((s) => [s, share])) as Record<
        (typeof ACTION_STATUSES)[number],
        typeof share
      >,
    ),
    coverage: share.meta({ description: 'treated actions with any callback' }),
    completion: share.meta({ description: 'treated actions redeemed or contacted' }),
  })
  .meta({ id: 'CampaignProgress' });

const summaryFields = {
  id: z.string(),
  name: z.string(),
  mode: z.string(),
  ranking: z.enum(['risk', 'uplift']),
  budget: z.number().nullable(),
  controlShare: z.number(),
  seed: z.number().int(),
  treated: z.number().int(),
  control: z.number().int(),
  cost: z.number(),
  expectedNetValue: z.number(),
  createdAt: z.string().meta({ format: 'date-time' }),
  createdBy: z.string().nullable(),
  progress: progressSchema,
};

const campaignSummarySchema = z.object(summaryFields).meta({ id: 'CampaignSummary' });

const campaignSchema = z
  .object({
    ...summaryFields,
    source: z.object({
      strategyIds: z.array(z.string()).nullable(),
      target: z.record(z.string(), z.unknown()),
    }),
    byStrategy: z.array(
      z.object({
        strategyId: z.string(),
        name: z.string().nullable(),
        treated: z.number().int(),
        control: z.number().int(),
        cost: z.number(),
        progress: progressSchema,
      }),
    ),
  })
  .meta({ id: 'Campaign' });

const PREVIEW_MEMBERS = 100;

const previewSchema = z
  .object({
    candidates: z.number().int(),
    treated: z.number().int(),
    control: z.number().int(),
    cost: z.number(),
    expectedNetValue: z.number(),
    controlShare: z.number(),
    seed: z.number().int(),
    ranking: z.enum(['risk', 'uplift']),
    rankingNotes: z
      .array(
        z.object({
          strategyId: z.string(),
          actionKind: z.string(),
          basis: z.enum(['risk', 'uplift']),
          reason: z.string().nullable(),
        }),
      )
      .meta({ description: 'uplift ranking: how each strategy was priced, and why not by uplift' }),
    unmatched: z.object({
      no_eligible_strategy: z.number().int(),
      no_positive_value: z.number().int(),
      budget_exhausted: z.number().int(),
    }),
    byStrategy: z.array(
      z.object({
        strategyId: z.string(),
        treated: z.number().int(),
        control: z.number().int(),
        cost: z.number(),
        expectedNetValue: z.number(),
        saveRate: z.number(),
      }),
    ),
    byTier: z.array(
      z.object({
        tier: z.string().meta({ description: 'high, medium or low' }),
        candidates: z.number().int(),
        treated: z.number().int(),
        control: z.number().int(),
      }),
    ),
    members: z
      .array(
        z.object({
          customerId: z.string(),
          arm: z.enum(['treated', 'control']),
          tier: z.string(),
          causes: z.array(z.string()),
          strategyId: z.string(),
          probability: z.number(),
          value: z.number(),
          saveRate: z.number(),
          unitCost: z.number(),
          expectedNetValue: z.number(),
          basis: z.enum(['risk', 'uplift']),
          uplift: z.number().nullable(),
          parameters: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
        }),
      )
      .meta({ description: `the first ${PREVIEW_MEMBERS} members by expected net value` }),
  })
  .meta({ id: 'CampaignPreview' });

const callbackResultSchema = z.object({
  index: z.number().int(),
  actionId: z.string(),
  status: z.enum(ACTION_STATUSES),
  outcome: z.enum(['recorded', 'duplicate', 'unknown_action']),
});

/** The uplift models when the ranking asks for them. */
async function upliftFor(
  deps: { warehouse: Warehouse; workspace: string },
  ranking: 'risk' | 'uplift',
): Promise<UpliftModels | null> {
  if (ranking !== 'uplift') return null;
  const config = appendConfig(deps.workspace);
  return currentUpliftModels(deps.warehouse, {
    workspace: deps.workspace,
    definition: churnDefinitionFromConfig(config.churn),
  });
}

/** 404 for a campaign id that does not exist. */
export function campaignNotFound(id: string): HttpError {
  return new HttpError(404, 'campaign_not_found', `no campaign with id "${id}"`, 'path campaignId');
}

const proportionSchema = z.object({
  treatedRate: z.number(),
  controlRate: z.number(),
  difference: z.number().meta({ description: 'treated − control' }),
  low: z.number(),
  high: z.number(),
  pValue: z.number(),
  confidence: z.number(),
  tooSmall: z.boolean().meta({ description: 'a group has < 30 customers or < 5 events or non-events' }),
});

const armComparisonSchema = z.object({
  treated: z.number().int(),
  control: z.number().int(),
  treatedChurned: z.number().int(),
  controlChurned: z.number().int(),
  churn: proportionSchema,
  repurchase: proportionSchema,
  value: z.object({
    treatedMean: z.number(),
    controlMean: z.number(),
    difference: z.number(),
    low: z.number().nullable(),
    high: z.number().nullable(),
    pValue: z.number().nullable(),
  }),
  economics: z.object({
    churnReduction: z.number(),
    churnReductionLow: z.number(),
    churnReductionHigh: z.number(),
    savedCustomers: z.number(),
    savedLow: z.number(),
    savedHigh: z.number(),
    totalCost: z.number(),
    valueSaved: z.number(),
    costPerSaved: z.number().nullable(),
    costPerSavedLow: z.number().nullable(),
    costPerSavedHigh: z.number().nullable(),
    roi: z.number().nullable(),
    roiLow: z.number().nullable(),
    roiHigh: z.number().nullable(),
  }),
});

const trueEffectSchema = z.object({
  customers: z.number().int(),
  effect: z.number().meta({ description: 'mean of churned with the action − churned without it' }),
  churnWithAction: z.number(),
  churnWithoutAction: z.number(),
});

const campaignResultsSchema = z
  .object({
    measurement: z.discriminatedUnion('status', [
      z.object({
        status: z.literal('not_yet_measurable'),
        campaignId: z.string(),
        startsOn: z.string().meta({ format: 'date' }),
        horizonDays: z.number().int(),
        measurableOn: z.string().meta({ format: 'date' }),
        treated: z.number().int(),
        control: z.number().int(),
      }),
      z.object({
        status: z.literal('measured'),
        campaignId: z.string(),
        startsOn: z.string().meta({ format: 'date' }),
        horizonDays: z.number().int(),
        measurableOn: z.string().meta({ format: 'date' }),
        overall: armComparisonSchema,
        strategies: z.array(
          armComparisonSchema.extend({
            strategyId: z.string(),
            verdict: z.enum(['keep', 'watch', 'retire', 'too_small']),
          }),
        ),
        unlabelled: z.number().int(),
      }),
    ]),
    truth: trueEffectSchema
      .extend({ strategies: z.array(trueEffectSchema.extend({ strategyId: z.string() })) })
      .nullable()
      .meta({ description: 'demo only: the simulator’s truth, null elsewhere or before the play' }),
  })
  .meta({ id: 'CampaignResults' });

export const campaignRoutes = [
  defineRoute({
    id: 'previewCampaign',
    method: 'POST',
    path: '/api/campaigns/preview',
    access: 'campaigns:run',
    tag: 'campaigns',
    summary:
      'What a campaign would be, writing nothing: candidates, treated and control counts, cost and expected ' +
      'net value in total and per strategy, why candidates were left out, and the first members.',
    body: campaignBody,
    response: previewSchema,
    handler: async ({ deps, body, now }) => {
      const plan = await previewCampaign(deps.warehouse, body, now, await upliftFor(deps, body.ranking));
      return {
        ...plan,
        members: plan.members.slice(0, PREVIEW_MEMBERS).map((m) => ({
          customerId: m.customerId,
          arm: m.arm,
          tier: m.tier,
          causes: m.causes,
          strategyId: m.strategyId,
          probability: m.probability,
          value: m.value,
          saveRate: m.saveRate,
          unitCost: m.unitCost,
          expectedNetValue: m.expectedNetValue,
          basis: m.basis,
          uplift: m.uplift,
          parameters: m.parameters,
        })),
      };
    },
  }),
  defineRoute({
    id: 'launchCampaign',
    method: 'POST',
    path: '/api/campaigns',
    access: 'campaigns:run',
    tag: 'campaigns',
    summary:
      'Launch a campaign: the same choice as the preview, written in one transaction with one action per ' +
      'treated customer (its id is the idempotency key). No one treated: 400 empty_target. Audited.',
    body: campaignBody,
    status: 201,
    response: campaignSchema,
    handler: async ({ deps, body, principal, ip, now }) => {
      const actor = actorOf(signedIn(principal), ip);
      // Built before the transaction: the models read the warehouse, and the cache makes a launch after a
      // preview cheap.
      const uplift = await upliftFor(deps, body.ranking);
      const { id } = await deps.warehouse.transaction((tx) => launchCampaign(tx, body, actor, now, uplift));
      const campaign = await getCampaign(deps.warehouse, id);
      if (!campaign) throw campaignNotFound(id);
      return campaign;
    },
  }),
  defineRoute({
    id: 'listCampaigns',
    method: 'GET',
    path: '/api/campaigns',
    access: 'campaigns:read',
    tag: 'campaigns',
    summary: 'Campaigns, newest first, each with its progress.',
    query: z
      .object({
        limit: z.coerce.number().int().min(1).max(200).default(50),
        offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
      })
      .strict(),
    response: z.object({
      total: z.number().int(),
      limit: z.number().int(),
      offset: z.number().int(),
      campaigns: z.array(campaignSummarySchema),
    }),
    handler: async ({ deps, query }) => ({ ...(await listCampaigns(deps.warehouse, query)), ...query }),
  }),
  defineRoute({
    id: 'getCampaign',
    method: 'GET',
    path: '/api/campaigns/:campaignId',
    access: 'campaigns:read',
    tag: 'campaigns',
    summary:
      'One campaign with its progress ("issued 95%, redeemed 30%"), coverage and completion, in total and ' +
      'per strategy.',
    response: campaignSchema,
    handler: async ({ deps, params }) => {
      const campaign = await getCampaign(deps.warehouse, params.campaignId);
      if (!campaign) throw campaignNotFound(params.campaignId);
      return campaign;
    },
  }),
  defineRoute({
    id: 'getCampaignResults',
    method: 'GET',
    path: '/api/campaigns/:campaignId/results',
    access: 'campaigns:read',
    tag: 'campaigns',
    summary:
      'What the campaign did (R19), once the churn horizon after its start has passed in the data (until ' +
      'then `not_yet_measurable` with the date): treated against hold-out control on churn, repurchase and ' +
      'value, each difference with its 95% interval and p-value, saved customers, cost per saved customer ' +
      'and ROI — overall and per strategy, each strategy with a verdict (keep, watch, retire, too_small) by ' +
      'retention.retire_below. In the demo, `truth` is the simulator’s true effect on the same customers.',
    response: campaignResultsSchema,
    handler: async ({ deps, params, now }) => {
      const config = appendConfig(deps.workspace);
      const measurement = await measureCampaign(deps.warehouse, params.campaignId, {
        definition: churnDefinitionFromConfig(config.churn),
        retireBelow: config.retention.retire_below,
        now,
      });
      if (!measurement) throw campaignNotFound(params.campaignId);
      return { measurement, truth: await getCampaignTruth(deps.warehouse, params.campaignId) };
    },
  }),
  defineRoute({
    id: 'exportCampaignActions',
    method: 'GET',
    path: '/api/campaigns/:campaignId/actions.csv',
    access: 'campaigns:run',
    tag: 'campaigns',
    summary:
      'The treated customers’ actions as CSV (action_id, customer_id, strategy, action kind, channel, ' +
      'parameters as JSON …) for the marketing, SMS and service systems. No personal fields. Audited.',
    handler: async ({ c, deps, params, principal, ip, now }) => {
      const csv = await exportActionsCsv(deps.warehouse, params.campaignId);
      if (csv === null) throw campaignNotFound(params.campaignId);
      await recordAudit(
        deps.warehouse,
        now,
        actorOf(signedIn(principal), ip),
        'campaign.export',
        params.campaignId,
      );
      c.header('content-disposition', `attachment; filename="campaign-${params.campaignId}-actions.csv"`);
      return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8' });
    },
  }),
  defineRoute({
    id: 'recordCampaignCallbacks',
    method: 'POST',
    path: '/api/campaigns/callbacks',
    access: 'campaigns:callback',
    tag: 'campaigns',
    summary:
      'Callbacks from the delivering systems: what happened to each action (issued, delivered, opened, ' +
      'redeemed, contacted). Idempotent by (actionId, status): a repeat is counted as duplicate and changes ' +
      'nothing; an unknown actionId is reported on its row. Answers 200 with a result per event.',
    body: z
      .object({
        events: z
          .array(
            z
              .object({
                actionId: z.string().min(1).max(200),
                status: z.enum(ACTION_STATUSES),
                occurredAt: z.iso.datetime({ offset: true }).optional(),
                detail: z.string().max(1000).optional(),
              })
              .strict(),
          )
          .min(1)
          .max(MAX_CALLBACKS),
      })
      .strict(),
    bodyLimit: 2 * 1024 * 1024,
    response: z.object({
      recorded: z.number().int(),
      duplicates: z.number().int(),
      unknown: z.number().int(),
      results: z.array(callbackResultSchema),
    }),
    handler: async ({ deps, body, now }) =>
      deps.warehouse.transaction((tx) =>
        recordCallbacks(
          tx,
          body.events.map((e) => ({
            actionId: e.actionId,
            status: e.status,
            occurredAt: e.occurredAt === undefined ? undefined : Date.parse(e.occurredAt),
            detail: e.detail,
          })),
          now,
        ),
      ),
  }),
];
