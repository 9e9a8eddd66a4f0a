// The strategy library (R16–R17): built-in templates, the company's strategies (create from a template or
// from scratch, edit, pause, retire — audited), operators' parameter overrides, and the cause-tag mapping.

import { z } from 'zod';
import { listCauseTagMappings, setCauseTagOverride } from '../../retention/cause-tag-store.js';
import { CAUSE_TAGS } from '../../retention/cause-tags.js';
import {
  INDUSTRIES,
  parametersSchema,
  STRATEGY_STATUSES,
  strategyFieldsSchema,
} from '../../retention/strategy.js';
import { listParameterOverrides, setParameterOverride } from '../../retention/strategy-overrides.js';
import {
  createStrategy,
  getStrategy,
  listStrategies,
  updateStrategy,
} from '../../retention/strategy-store.js';
import { STRATEGY_TEMPLATES } from '../../retention/strategy-templates.js';
import { actorOf } from '../../security/principal.js';
import { HttpError } from '../http-error.js';
import { defineRoute, signedIn } from '../route.js';

const causeTag = z.enum(CAUSE_TAGS).meta({ id: 'CauseTag' });

/** A strategy's fields as the library holds them (validated when written). */
const fields = strategyFieldsSchema.shape;

const strategySchema = z
  .object({
    id: z.string(),
    templateId: z.string().nullable(),
    ...fields,
    status: z.enum(STRATEGY_STATUSES),
    version: z.number().int(),
    createdAt: z.string().meta({ format: 'date-time' }),
    createdBy: z.string().nullable(),
    updatedAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'Strategy' });

const templateSchema = z.object({ id: z.string(), ...fields }).meta({ id: 'StrategyTemplate' });

const overrideSchema = z
  .object({
    strategyId: z.string(),
    customerId: z.string().nullable().meta({ description: 'null: the whole strategy' }),
    parameters: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
    updatedAt: z.string().meta({ format: 'date-time' }),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'ParameterOverride' });

const causeMappingSchema = z
  .object({
    feature: z.string(),
    defaultTag: causeTag.nullable(),
    tag: causeTag.nullable(),
    overridden: z.boolean(),
  })
  .meta({ id: 'CauseTagMapping' });

const editableFields = strategyFieldsSchema.partial().strict();

function notFound(id: string): HttpError {
  return new HttpError(404, 'strategy_not_found', `no strategy "${id}"`, 'path strategyId');
}

export const strategyRoutes = [
  defineRoute({
    id: 'listStrategyTemplates',
    method: 'GET',
    path: '/api/strategies/templates',
    access: 'strategies:read',
    tag: 'strategies',
    summary:
      'The built-in strategy templates per industry (names in en and zh-CN), to start a strategy from.',
    query: z.object({ industry: z.enum(INDUSTRIES).optional() }).strict(),
    response: z.object({ templates: z.array(templateSchema) }),
    handler: async ({ query }) => ({
      templates: STRATEGY_TEMPLATES.filter(
        (t) => query.industry === undefined || t.industry === query.industry,
      ),
    }),
  }),
  defineRoute({
    id: 'listStrategies',
    method: 'GET',
    path: '/api/strategies',
    access: 'strategies:read',
    tag: 'strategies',
    summary: 'The company’s strategies by priority, optionally of some statuses (comma-separated).',
    query: z
      .object({
        status: z
          .string()
          .regex(/^(active|paused|retired)(,(active|paused|retired))*$/, 'expected active, paused or retired')
          .optional(),
      })
      .strict(),
    response: z.object({ strategies: z.array(strategySchema) }),
    handler: async ({ deps, query }) => ({
      strategies: await listStrategies(
        deps.warehouse,
        query.status?.split(',') as ('active' | 'paused' | 'retired')[] | undefined,
      ),
    }),
  }),
  defineRoute({
    id: 'getStrategy',
    method: 'GET',
    path: '/api/strategies/:strategyId',
    access: 'strategies:read',
    tag: 'strategies',
    summary: 'One strategy.',
    response: strategySchema,
    handler: async ({ deps, params }) => {
      const strategy = await getStrategy(deps.warehouse, params.strategyId);
      if (!strategy) throw notFound(params.strategyId);
      return strategy;
    },
  }),
  defineRoute({
    id: 'createStrategy',
    method: 'POST',
    path: '/api/strategies',
    access: 'strategies:edit',
    tag: 'strategies',
    summary:
      'Create a strategy from a template (`templateId`, with any fields overriding the template’s) or from ' +
      'scratch (every field). Audited.',
    body: z
      .object({
        templateId: z.string().min(1).max(100).optional(),
        fields: editableFields.default({}),
        status: z.enum(['active', 'paused']).optional(),
      })
      .strict(),
    status: 201,
    response: strategySchema,
    handler: async ({ deps, body, principal, ip, now }) =>
      deps.warehouse.transaction((tx) => createStrategy(tx, body, actorOf(signedIn(principal), ip), now)),
  }),
  defineRoute({
    id: 'updateStrategy',
    method: 'PATCH',
    path: '/api/strategies/:strategyId',
    access: 'strategies:edit',
    tag: 'strategies',
    summary:
      'Edit a strategy’s fields and/or pause, resume or retire it (`status`). Retired is final (409). Each ' +
      'change is audited with the old and new values; an edit that changes nothing is not.',
    body: z
      .object({ fields: editableFields.default({}), status: z.enum(STRATEGY_STATUSES).optional() })
      .strict(),
    response: strategySchema,
    handler: async ({ deps, body, params, principal, ip, now }) =>
      deps.warehouse.transaction((tx) =>
        updateStrategy(tx, params.strategyId, body, actorOf(signedIn(principal), ip), now),
      ),
  }),
  defineRoute({
    id: 'listStrategyOverrides',
    method: 'GET',
    path: '/api/strategies/:strategyId/overrides',
    access: 'strategies:read',
    tag: 'strategies',
    summary: 'The parameter overrides of a strategy: strategy-wide, then per customer.',
    response: z.object({ overrides: z.array(overrideSchema) }),
    handler: async ({ deps, params }) => {
      if (!(await getStrategy(deps.warehouse, params.strategyId))) throw notFound(params.strategyId);
      return { overrides: await listParameterOverrides(deps.warehouse, params.strategyId) };
    },
  }),
  defineRoute({
    id: 'setStrategyOverride',
    method: 'PUT',
    path: '/api/strategies/:strategyId/overrides',
    access: 'campaigns:run',
    tag: 'strategies',
    summary:
      'Override parameters of a strategy for every customer (no `customerId`) or for one customer; the ' +
      'customer’s override wins. Only the strategy’s own parameters; `{}` removes the override. Audited.',
    body: z
      .object({ customerId: z.string().min(1).max(200).optional(), parameters: parametersSchema })
      .strict(),
    response: z.object({ overrides: z.array(overrideSchema) }),
    handler: async ({ deps, body, params, principal, ip, now }) => ({
      overrides: await deps.warehouse.transaction((tx) =>
        setParameterOverride(
          tx,
          { strategyId: params.strategyId, customerId: body.customerId ?? null },
          body.parameters,
          actorOf(signedIn(principal), ip),
          now,
        ),
      ),
    }),
  }),
  defineRoute({
    id: 'listCauseTags',
    method: 'GET',
    path: '/api/cause-tags',
    access: 'strategies:read',
    tag: 'strategies',
    summary:
      'How score drivers map to churn causes: every driver feature (and overridden one) with its default tag, ' +
      'its override if any, and the tag in force.',
    response: z.object({ tags: z.array(causeTag), mappings: z.array(causeMappingSchema) }),
    handler: async ({ deps }) => ({
      tags: [...CAUSE_TAGS],
      mappings: await listCauseTagMappings(deps.warehouse),
    }),
  }),
  defineRoute({
    id: 'setCauseTag',
    method: 'PUT',
    path: '/api/cause-tags/:feature',
    access: 'strategies:edit',
    tag: 'strategies',
    summary:
      'Override a feature’s cause tag (`tag`, or null for "names no cause"), or go back to the default rule ' +
      '(`reset: true`). Audited.',
    body: z.union([
      z.object({ tag: causeTag.nullable() }).strict(),
      z.object({ reset: z.literal(true) }).strict(),
    ]),
    response: causeMappingSchema,
    handler: async ({ deps, body, params, principal, ip, now }) => {
      const feature = params.feature;
      if (feature.length === 0 || feature.length > 200) {
        throw new HttpError(400, 'invalid_feature', 'a feature name is 1 to 200 characters', 'path feature');
      }
      return deps.warehouse.transaction((tx) =>
        setCauseTagOverride(tx, feature, body, actorOf(signedIn(principal), ip), now),
      );
    },
  }),
];
