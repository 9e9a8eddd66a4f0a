// Scores over the base: at-risk counts by tier over time, and the most common main reasons now.

import { z } from 'zod';
import { getTierCounts } from '../../queries/get-tier-counts.js';
import { getTopReasons } from '../../queries/get-top-reasons.js';
import { defineRoute } from '../route.js';

const segment = z.string().min(1).max(100).optional();

export const scoreRoutes = [
  defineRoute({
    id: 'tierCounts',
    method: 'GET',
    path: '/api/scores/tiers',
    access: 'scores:read',
    tag: 'scores',
    summary:
      'Customers per tier over time, one point per day, week (from Monday) or month: the last scoring date ' +
      'in the period, with that date’s newest model version. Optionally of one segment.',
    query: z.object({ period: z.enum(['day', 'week', 'month']).default('day'), segment }).strict(),
    response: z.object({
      period: z.enum(['day', 'week', 'month']),
      points: z.array(
        z.object({
          period: z.string().meta({ format: 'date', description: 'the first day of the period' }),
          scoredAt: z.string().meta({ format: 'date' }),
          modelVersion: z.number().int(),
          high: z.number().int(),
          medium: z.number().int(),
          low: z.number().int(),
          total: z.number().int(),
        }),
      ),
    }),
    handler: async ({ deps, query }) => ({
      period: query.period,
      points: await getTierCounts(deps.warehouse, query),
    }),
  }),
  defineRoute({
    id: 'topReasons',
    method: 'GET',
    path: '/api/scores/reasons',
    access: 'scores:read',
    tag: 'scores',
    summary:
      'The most common main reasons among at-risk customers now (latest score of each): per driver feature, ' +
      'the customers whose strongest driver it is and those with it among their drivers.',
    query: z
      .object({
        tier: z
          .string()
          .regex(/^(high|medium|low)(,(high|medium|low))*$/, 'expected high, medium or low, comma-separated')
          .default('high,medium'),
        segment,
        limit: z.coerce.number().int().min(1).max(100).default(10),
      })
      .strict(),
    response: z.object({
      tiers: z.array(z.string()),
      customers: z.number().int(),
      reasons: z.array(z.object({ feature: z.string(), main: z.number().int(), anywhere: z.number().int() })),
    }),
    handler: async ({ deps, query }) =>
      getTopReasons(deps.warehouse, {
        tiers: query.tier.split(','),
        segment: query.segment,
        limit: query.limit,
      }),
  }),
];
