// Segments: the distinct customer segments with their customer counts, for the dashboard's segment filters.

import { z } from 'zod';
import { listSegments } from '../../queries/list-segments.js';
import { defineRoute } from '../route.js';

const segmentSchema = z
  .object({ segment: z.string(), customers: z.number().int() })
  .meta({ id: 'SegmentCount' });

export const segmentRoutes = [
  defineRoute({
    id: 'listSegments',
    method: 'GET',
    path: '/api/segments',
    access: 'customers:read',
    tag: 'customers',
    summary:
      'The distinct customer segments of the profiles, sorted by name, each with its number of customers ' +
      '(customers without a segment are left out).',
    response: z.object({ segments: z.array(segmentSchema) }),
    handler: async ({ deps }) => ({ segments: await listSegments(deps.warehouse) }),
  }),
];
