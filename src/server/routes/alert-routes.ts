// Alerts (R15): the inbox (filter by status, tier, segment, reason; personal fields masked by role),
// acknowledging and closing an alert (audited), and the outbox's messages for the dead-letter view.

import { z } from 'zod';
import { acknowledgeAlert, closeAlert, getAlert, listAlerts } from '../../alerts/alert-inbox.js';
import { alertRuleSchema } from '../../alerts/alerts-config.js';
import { readAlertRules, saveAlertRules } from '../../alerts/edit-alert-rules.js';
import { listOutbox, retryDead } from '../../alerts/outbox.js';
import { InputError } from '../../errors.js';
import { recordAudit } from '../../security/audit-log.js';
import { actorOf, type Principal } from '../../security/principal.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { HttpError } from '../http-error.js';
import { auditUnmaskedRead, hasPersonal, seesUnmasked, showPersonal } from '../personal-data.js';
import { defineRoute, signedIn } from '../route.js';

const STATUS_LIST = /^(new|acknowledged|closed)(,(new|acknowledged|closed))*$/;
const TIER_LIST = /^(high|medium|low)(,(high|medium|low))*$/;
const masked = (what: string) =>
  z
    .string()
    .nullable()
    .meta({ description: `masked (${what}) unless the role may read unmasked` });

const alertSchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    name: masked('张**'),
    phone: masked('138****5678'),
    email: masked('z***@example.com'),
    segment: z.string().nullable(),
    rule: z.string().meta({ description: 'the rule’s name in alerts.rules' }),
    kind: z.enum(['enters_tier', 'score_jump', 'high_value_threshold']),
    tier: z.string(),
    previousTier: z.string().nullable(),
    probability: z.number(),
    previousProbability: z.number().nullable(),
    value: z.number().nullable().meta({ description: 'the customer’s spend when the rule looks at value' }),
    reasons: z.object({ en: z.string(), 'zh-CN': z.string() }),
    drivers: z.array(z.string()),
    scoredAt: z.string().meta({ format: 'date' }),
    status: z.enum(['new', 'acknowledged', 'closed']),
    createdAt: z.string().meta({ format: 'date-time' }),
    acknowledgedBy: z.string().nullable(),
    acknowledgedAt: z.string().nullable(),
    closedBy: z.string().nullable(),
    closedAt: z.string().nullable(),
    delivery: z.object({ pending: z.number().int(), delivered: z.number().int(), dead: z.number().int() }),
  })
  .meta({ id: 'Alert' });

const outboxSchema = z
  .object({
    id: z.string().meta({ description: 'the message id: the webhook’s idempotency key' }),
    alertId: z.string(),
    customerId: z.string().nullable(),
    rule: z.string().nullable(),
    channel: z.string(),
    status: z.enum(['pending', 'delivered', 'dead']),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
  })
  .meta({ id: 'OutboxMessage' });

const page = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
};

/** The alert as `who` may see it; an unmasked read is audited. */
async function shownAlert(db: Warehouse, id: string, who: Principal, ip: string | null, now: number) {
  const alert = await getAlert(db, id);
  if (!alert) throw notFound(id);
  const unmasked = seesUnmasked(who);
  if (unmasked && hasPersonal(alert)) {
    await auditUnmaskedRead(db, now, who, ip, 'customer.read-unmasked', [alert.customerId]);
  }
  return showPersonal(alert, unmasked);
}

function notFound(id: string): HttpError {
  return new HttpError(404, 'alert_not_found', `no alert with id "${id}"`, 'path alertId');
}

const alertRulesSchema = z
  .object({
    rules: z.array(alertRuleSchema),
    defaults: z.boolean().meta({ description: 'the file names no rules: the built-in ones apply' }),
  })
  .meta({ id: 'AlertRules' });

/** The workspace's rules; 409 when it has no churnwatch.yaml. */
function readRules(workspace: string) {
  try {
    return readAlertRules(workspace);
  } catch (error) {
    if (error instanceof InputError) throw new HttpError(409, 'no_config', error.message, null);
    throw error;
  }
}

export const alertRoutes = [
  defineRoute({
    id: 'listAlerts',
    method: 'GET',
    path: '/api/alerts',
    access: 'alerts:read',
    tag: 'alerts',
    summary:
      'The alerts inbox, newest first: filter by status and tier (comma-separated), segment and reason (a driver ' +
      'feature or a word of the reasons); each alert with its delivery state. Personal fields masked by role.',
    query: z
      .object({
        status: z
          .string()
          .regex(STATUS_LIST, 'expected new, acknowledged or closed, or several with commas')
          .optional(),
        tier: z
          .string()
          .regex(TIER_LIST, 'expected high, medium or low, or several separated by commas')
          .optional(),
        segment: z.string().min(1).max(100).optional(),
        reason: z.string().min(1).max(100).optional(),
        ...page,
      })
      .strict(),
    response: z.object({
      total: z.number().int(),
      limit: z.number().int(),
      offset: z.number().int(),
      alerts: z.array(alertSchema),
    }),
    handler: async ({ deps, query, principal, ip, now }) => {
      const who = signedIn(principal);
      const unmasked = seesUnmasked(who);
      const { total, alerts } = await listAlerts(deps.warehouse, {
        statuses: query.status?.split(',') as ('new' | 'acknowledged' | 'closed')[] | undefined,
        tiers: query.tier?.split(','),
        segment: query.segment,
        reason: query.reason,
        limit: query.limit,
        offset: query.offset,
      });
      if (unmasked) {
        const shown = [...new Set(alerts.filter(hasPersonal).map((a) => a.customerId))];
        await auditUnmaskedRead(deps.warehouse, now, who, ip, 'customers.list-unmasked', shown);
      }
      return {
        total,
        limit: query.limit,
        offset: query.offset,
        alerts: alerts.map((alert) => showPersonal(alert, unmasked)),
      };
    },
  }),
  defineRoute({
    id: 'listOutbox',
    method: 'GET',
    path: '/api/alerts/outbox',
    access: 'alerts:read',
    tag: 'alerts',
    summary:
      'Alert messages by delivery state, newest first: `status=dead` is the dead-letter list (attempts used up, ' +
      'with the last error); `pending` shows retries and their next attempt.',
    query: z
      .object({
        status: z.enum(['pending', 'delivered', 'dead']).optional(),
        channel: z.string().min(1).max(100).optional(),
        ...page,
      })
      .strict(),
    response: z.object({
      total: z.number().int(),
      limit: z.number().int(),
      offset: z.number().int(),
      messages: z.array(outboxSchema),
    }),
    handler: async ({ deps, query }) => {
      const { total, messages } = await listOutbox(deps.warehouse, query);
      return { total, limit: query.limit, offset: query.offset, messages };
    },
  }),
  defineRoute({
    id: 'getAlertRules',
    method: 'GET',
    path: '/api/alerts/rules',
    access: 'alerts:read',
    tag: 'alerts',
    summary:
      'The alert rules of churnwatch.yaml (`alerts.rules`, keys as in the file), with defaults applied; ' +
      '`defaults` is true when the file names none and the built-in rules apply.',
    response: alertRulesSchema,
    handler: async ({ deps }) => readRules(deps.workspace),
  }),
  defineRoute({
    id: 'updateAlertRules',
    method: 'PUT',
    path: '/api/alerts/rules',
    access: 'alerts:configure',
    tag: 'alerts',
    summary:
      'Replace the alert rules: written to churnwatch.yaml (the rest of the file kept as it is) once the ' +
      'whole file validates — a rule a channel still names cannot be removed. Applies from the next scoring ' +
      'run. Audited with the rules before and after.',
    body: z.object({ rules: z.array(alertRuleSchema).max(100) }).strict(),
    response: alertRulesSchema,
    handler: async ({ deps, body, principal, ip, now }) => {
      let change: ReturnType<typeof saveAlertRules>;
      try {
        change = saveAlertRules(deps.workspace, body.rules);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        const key = error.where.key;
        throw new HttpError(
          key ? 400 : 409,
          key ? 'invalid_rules' : 'no_config',
          error.message,
          key ? `body.${key.replace(/^alerts\./, '').replaceAll(/\.(\d+)/g, '[$1]')}` : null,
        );
      }
      await recordAudit(deps.warehouse, now, actorOf(signedIn(principal), ip), 'alert-rules.update', null, {
        before: change.before,
        after: change.after,
      });
      return { rules: change.after, defaults: false };
    },
  }),
  defineRoute({
    id: 'retryOutboxMessage',
    method: 'POST',
    path: '/api/alerts/outbox/:messageId/retry',
    access: 'alerts:ack',
    tag: 'alerts',
    summary: 'Puts a dead message back in the delivery queue with a fresh set of attempts (audited).',
    response: z.object({ id: z.string(), status: z.literal('pending') }),
    handler: async ({ deps, params, principal, ip, now }) => {
      const who = signedIn(principal);
      const id = params.messageId;
      await deps.warehouse.transaction(async (tx) => {
        if (!(await retryDead(tx, id, now))) {
          throw new HttpError(
            404,
            'dead_message_not_found',
            `no dead message with id "${id}"`,
            'path messageId',
          );
        }
        await recordAudit(tx, now, actorOf(who, ip), 'alert.retry-delivery', id);
      });
      return { id, status: 'pending' as const };
    },
  }),
  defineRoute({
    id: 'acknowledgeAlert',
    method: 'POST',
    path: '/api/alerts/:alertId/ack',
    access: 'alerts:ack',
    tag: 'alerts',
    summary:
      'Acknowledges a new alert (someone is on it); acknowledging again changes nothing. A closed alert answers ' +
      '409. Audited.',
    response: alertSchema,
    handler: async ({ deps, params, principal, ip, now }) => {
      const who = signedIn(principal);
      const id = params.alertId;
      const actor = actorOf(who, ip);
      await deps.warehouse.transaction(async (tx) => {
        const outcome = await acknowledgeAlert(tx, id, actor.name, now);
        if (outcome === null) throw notFound(id);
        if (outcome === 'closed') {
          throw new HttpError(409, 'alert_closed', `alert "${id}" is closed already`, 'path alertId');
        }
        if (outcome === 'acknowledged') await recordAudit(tx, now, actor, 'alert.ack', id);
      });
      return shownAlert(deps.warehouse, id, who, ip, now);
    },
  }),
  defineRoute({
    id: 'closeAlert',
    method: 'POST',
    path: '/api/alerts/:alertId/close',
    access: 'alerts:ack',
    tag: 'alerts',
    summary:
      'Closes an alert (handled). Its rule may alert this customer again once the quiet period has passed. ' +
      'Closing twice changes nothing. Audited.',
    response: alertSchema,
    handler: async ({ deps, params, principal, ip, now }) => {
      const who = signedIn(principal);
      const id = params.alertId;
      const actor = actorOf(who, ip);
      await deps.warehouse.transaction(async (tx) => {
        const outcome = await closeAlert(tx, id, actor.name, now);
        if (outcome === null) throw notFound(id);
        if (outcome === 'closed') await recordAudit(tx, now, actor, 'alert.close', id);
      });
      return shownAlert(deps.warehouse, id, who, ip, now);
    },
  }),
];
