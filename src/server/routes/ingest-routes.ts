// Batch appends (R1 real-time path): POST rows of events, transactions or tickets. Each row is checked by
// the file ingest's rules; good rows are stored in one transaction, bad ones reported by index (and kept in
// the quarantine), and the customers the batch touched are re-scored right after the answer.

import { z } from 'zod';
import { recordAudit } from '../../security/audit-log.js';
import { actorOf } from '../../security/principal.js';
import { type AppendKind, appendRows } from '../../warehouse/append-rows.js';
import { QUARANTINE_REASONS } from '../../warehouse/classify-rows.js';
import { rescoreQueueFor } from '../rescore-queue.js';
import { defineRoute, type Route, signedIn } from '../route.js';
import { appendConfig } from '../workspace-config.js';

/** Most rows in one request. */
export const MAX_BATCH_ROWS = 10_000;
/** Room for MAX_BATCH_ROWS rows of a few hundred bytes each. */
export const BATCH_BODY_LIMIT = 8 * 1024 * 1024;

const cell = z.union([
  z.string().max(10_000),
  z.number(),
  z.boolean(),
  z.null(),
  z.record(z.string(), z.unknown()),
  z.array(z.unknown()),
]);
const row = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a field name is letters, digits and _'), cell)
  .refine((value) => Object.keys(value).length <= 32, 'a row has at most 32 fields');

const examples: Record<AppendKind, Record<string, unknown>> = {
  events: {
    customer_id: 'C0000042',
    ts: '2025-03-01T08:30:00Z',
    event_type: 'login',
    properties: { app: 'ios' },
  },
  transactions: { customer_id: 'C0000042', ts: '2025-03-01T08:35:00Z', amount: 59.9, product: 'plan-plus' },
  tickets: { customer_id: 'C0000042', opened_at: '2025-03-01T09:00:00Z', category: 'billing' },
};

const appendResponse = z
  .object({
    accepted: z.number().int().meta({ description: 'rows stored' }),
    rejected: z.array(
      z.object({
        index: z.number().int().meta({ description: 'the row\'s index in "rows", from 0' }),
        reason: z.enum(QUARANTINE_REASONS),
        field: z.string().nullable().meta({ description: 'the field at fault; null when the whole row is' }),
        detail: z.string().nullable(),
      }),
    ),
    customers: z.number().int().meta({ description: 'customers with stored rows, queued for re-scoring' }),
    loadId: z
      .number()
      .int()
      .meta({ description: 'the batch in load_log and quarantine (file "api:<source>")' }),
  })
  .meta({ id: 'AppendResult' });

function appendRoute(kind: AppendKind, id: string): Route {
  return defineRoute({
    id,
    method: 'POST',
    path: `/api/${kind}`,
    access: 'data:ingest',
    tag: 'ingest',
    summary:
      `Append a batch of ${kind} (up to ${MAX_BATCH_ROWS} rows) with the file ingest's checks. Answers 200 once ` +
      'the good rows are stored, with every bad row by index, reason and field (also kept in the quarantine); ' +
      'the customers touched are re-scored with the champion within seconds. Sending a batch again adds nothing.',
    bodyLimit: BATCH_BODY_LIMIT,
    body: z
      .object({
        rows: z
          .array(row)
          .min(1)
          .max(MAX_BATCH_ROWS)
          .meta({ examples: [[examples[kind]]] }),
      })
      .strict(),
    response: appendResponse,
    handler: async ({ deps, body, now, principal, ip }) => {
      const result = await appendRows(deps.warehouse, {
        kind,
        rows: body.rows,
        config: appendConfig(deps.workspace),
        now: new Date(now),
      });
      rescoreQueueFor(deps.warehouse, deps.workspace).add(result.customerIds);
      await recordAudit(deps.warehouse, now, actorOf(signedIn(principal), ip), 'data.append', kind, {
        loadId: result.loadId,
        accepted: result.accepted,
        rejected: result.rejected.length,
      });
      return {
        accepted: result.accepted,
        rejected: result.rejected,
        customers: result.customerIds.length,
        loadId: result.loadId,
      };
    },
  });
}

export const ingestRoutes = [
  appendRoute('events', 'appendEvents'),
  appendRoute('transactions', 'appendTransactions'),
  appendRoute('tickets', 'appendTickets'),
];
