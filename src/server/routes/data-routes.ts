// The data side: recent loads, the quarantine (counts per source × reason and examples) and the saved
// inactivity (return) curve.

import { z } from 'zod';
import { getInactivityCurve } from '../../queries/get-inactivity-curve.js';
import { getQuarantineSummary } from '../../queries/get-quarantine-summary.js';
import { listLoads } from '../../queries/list-loads.js';
import { maskEmail, maskName, maskPhone } from '../../security/masking.js';
import { defineRoute } from '../route.js';

/** Columns of a quarantined row that may hold personal data: their values are masked for every role. */
const PERSONAL_COLUMN = /(^|[_\s-])(name|phone|mobile|tel|email|e_mail|mail)$/i;

export const dataRoutes = [
  defineRoute({
    id: 'listLoads',
    method: 'GET',
    path: '/api/data/loads',
    access: 'data:read',
    tag: 'data',
    summary: 'The newest file loads: source, file, when, rows read, loaded and quarantined.',
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict(),
    response: z.object({
      loads: z.array(
        z.object({
          loadId: z.number().int(),
          source: z.string(),
          file: z.string(),
          loadedAt: z.string(),
          rowsRead: z.number().int(),
          rowsLoaded: z.number().int(),
          rowsQuarantined: z.number().int(),
        }),
      ),
    }),
    handler: async ({ deps, query }) => ({ loads: await listLoads(deps.warehouse, query.limit) }),
  }),
  defineRoute({
    id: 'quarantineSummary',
    method: 'GET',
    path: '/api/data/quarantine',
    access: 'data:read',
    tag: 'data',
    summary:
      'Quarantined rows per source and reason, and the newest examples with file and line. Values of ' +
      'personal columns (name, phone, e-mail) in the examples are masked for every role.',
    query: z
      .object({
        source: z.string().min(1).max(64).optional(),
        reason: z.string().min(1).max(64).optional(),
        limit: z.coerce.number().int().min(0).max(200).default(20),
      })
      .strict(),
    response: z.object({
      counts: z.array(z.object({ source: z.string(), reason: z.string(), rows: z.number().int() })),
      examples: z.array(
        z.object({
          loadId: z.number().int(),
          source: z.string(),
          file: z.string(),
          line: z.number().int(),
          customerId: z.string().nullable(),
          reason: z.string(),
          detail: z.string().nullable(),
          raw: z.record(z.string(), z.unknown()),
        }),
      ),
    }),
    handler: async ({ deps, query }) => {
      const summary = await getQuarantineSummary(deps.warehouse, query);
      return {
        counts: summary.counts,
        examples: summary.examples.map((example) => ({ ...example, raw: maskPersonalColumns(example.raw) })),
      };
    },
  }),
  defineRoute({
    id: 'inactivityCurve',
    method: 'GET',
    path: '/api/data/inactivity',
    access: 'data:read',
    tag: 'data',
    summary:
      'The return curve saved by `churnwatch analyze inactivity`: per gap length, customers inactive that ' +
      'long and the share who came back, with the suggested horizon (share below 10%, ≥ 30 customers).',
    response: z.object({
      activity: z.string().nullable(),
      computedAt: z.string().nullable(),
      suggestedHorizonDays: z.number().int().nullable(),
      points: z.array(
        z.object({
          gapDays: z.number().int(),
          inactiveCustomers: z.number().int(),
          returnedCustomers: z.number().int(),
          returnShare: z.number().nullable(),
        }),
      ),
    }),
    handler: async ({ deps }) => getInactivityCurve(deps.warehouse),
  }),
];

/** The row with the values of personal-looking columns masked as phones, e-mails or names. */
function maskPersonalColumns(raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(raw).map(([key, value]) => {
      const kind = PERSONAL_COLUMN.exec(key)?.[2]?.toLowerCase();
      if (kind === undefined || typeof value !== 'string') return [key, value];
      if (kind === 'name') return [key, maskName(value)];
      return [key, kind.includes('mail') ? maskEmail(value) : maskPhone(value)];
    }),
  );
}
