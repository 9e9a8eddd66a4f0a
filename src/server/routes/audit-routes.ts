// Reading the audit log, newest first, a page at a time.

import { z } from 'zod';
import { listAudit } from '../../security/audit-log.js';
import { defineRoute } from '../route.js';

const entrySchema = z
  .object({
    id: z.number().int(),
    at: z.string().meta({ format: 'date-time' }),
    actor: z.string().nullable().meta({ description: 'username, token:<name>, or null for the system' }),
    actorRole: z.string().nullable(),
    action: z.string(),
    target: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
    ip: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });

export const auditRoutes = [
  defineRoute({
    id: 'listAudit',
    method: 'GET',
    path: '/api/audit',
    access: 'audit:read',
    tag: 'audit',
    summary:
      'Audit entries, newest first. Page with `before` = the previous page’s `nextBefore`; filter by action ' +
      '(`login.failure`, `user.create` …) or actor.',
    query: z
      .object({
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        before: z.coerce.number().int().min(1).optional(),
        action: z.string().min(1).max(64).optional(),
        actor: z.string().min(1).max(128).optional(),
      })
      .strict(),
    response: z.object({ entries: z.array(entrySchema), nextBefore: z.number().int().nullable() }),
    handler: async ({ deps, query }) => {
      const entries = await listAudit(deps.warehouse, query);
      const last = entries.at(-1);
      return { entries, nextBefore: entries.length === query.limit && last ? last.id : null };
    },
  }),
];
