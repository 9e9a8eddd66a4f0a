// One customer's latest score, small and cheap: what a system polls after appending the customer's events
// (the real-time path re-scores within seconds) and what a CRM screen shows next to the customer.

import { z } from 'zod';
import { getCustomerScore } from '../../queries/get-customer-score.js';
import { isoTime } from '../../security/sql-time.js';
import { HttpError } from '../http-error.js';
import { defineRoute } from '../route.js';

const scoreSchema = z
  .object({
    customerId: z.string(),
    probability: z.number(),
    tier: z.enum(['high', 'medium', 'low']),
    reasons: z.object({ en: z.string(), 'zh-CN': z.string() }),
    drivers: z.array(
      z.object({
        feature: z.string(),
        value: z.union([z.number(), z.string(), z.null()]),
        contribution: z.number(),
      }),
    ),
    scoredAt: z
      .string()
      .meta({ format: 'date', description: 'the scoring date (features use data before it)' }),
    modelVersion: z.number().int(),
    updatedAt: z.string().meta({ format: 'date-time', description: 'when this row was written' }),
  })
  .meta({ id: 'CustomerScore' });

export const customerScoreRoutes = [
  defineRoute({
    id: 'getCustomerScore',
    method: 'GET',
    path: '/api/customers/:customerId/score',
    access: 'scores:read',
    tag: 'scores',
    summary:
      'The customer’s latest score: probability, tier, reasons (en, zh-CN), drivers, scoring date, model ' +
      'version and when it was written (it changes seconds after the customer’s new activity is appended).',
    response: scoreSchema,
    handler: async ({ deps, params }) => {
      const id = params.customerId;
      const row = await getCustomerScore(deps.warehouse, id);
      if (!row) {
        throw new HttpError(404, 'score_not_found', `no score for customer "${id}"`, 'path customerId');
      }
      return {
        customerId: id,
        probability: row.probability,
        tier: row.tier,
        reasons: { en: row.reasons_en, 'zh-CN': row.reasons_zh },
        drivers: JSON.parse(row.drivers) as z.input<typeof scoreSchema>['drivers'],
        scoredAt: row.scored_at,
        modelVersion: row.model_version,
        updatedAt: isoTime(row.created_at) ?? '',
      };
    },
  }),
];
