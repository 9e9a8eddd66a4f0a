// Sending a campaign's actions to the marketing, SMS and service systems (R18): the configured action
// webhooks, sending a campaign's actions to one (once: a repeat queues nothing), and where the batches are.

import { z } from 'zod';
import { dispatchActions, listDispatches } from '../../retention/dispatch-actions.js';
import { actorOf } from '../../security/principal.js';
import { HttpError } from '../http-error.js';
import { defineRoute, signedIn } from '../route.js';
import { appendConfig } from '../workspace-config.js';
import { campaignNotFound } from './campaign-routes.js';

const dispatchSchema = z
  .object({
    campaignId: z.string(),
    webhook: z.string(),
    actions: z.number().int(),
    batches: z.number().int(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
    delivered: z.number().int().meta({ description: 'batches the receiver accepted' }),
    pending: z.number().int().meta({ description: 'batches waiting for a (re)try' }),
    dead: z.number().int().meta({ description: 'batches that ran out of attempts (see the outbox)' }),
    lastError: z.string().nullable(),
  })
  .meta({ id: 'CampaignDispatch' });

export const dispatchRoutes = [
  defineRoute({
    id: 'listActionWebhooks',
    method: 'GET',
    path: '/api/action-webhooks',
    access: 'campaigns:read',
    tag: 'campaigns',
    summary:
      'The systems campaigns can send their actions to (retention.action_webhooks in churnwatch.yaml): ' +
      'name, host and batch size. Secrets are never shown.',
    response: z.object({
      webhooks: z.array(z.object({ name: z.string(), host: z.string(), batchSize: z.number().int() })),
    }),
    handler: async ({ deps }) => ({
      webhooks: appendConfig(deps.workspace).retention.action_webhooks.map((hook) => ({
        name: hook.name,
        host: new URL(hook.url).host,
        batchSize: hook.batch_size,
      })),
    }),
  }),
  defineRoute({
    id: 'dispatchCampaignActions',
    method: 'POST',
    path: '/api/campaigns/:campaignId/dispatches',
    access: 'campaigns:run',
    tag: 'campaigns',
    summary:
      'Send the treated customers’ actions to an action webhook, in signed JSON batches through the outbox ' +
      '(retried with backoff, dead-lettered). A campaign goes to a webhook once: sending again answers ' +
      '`queued: false` with the first dispatch. Unknown webhook: 400 unknown_webhook. Audited.',
    body: z.object({ webhook: z.string().min(1).max(100) }).strict(),
    response: z.object({ queued: z.boolean(), dispatch: dispatchSchema }),
    handler: async ({ deps, params, body, principal, ip, now }) => {
      const hooks = appendConfig(deps.workspace).retention.action_webhooks;
      const webhook = hooks.find((hook) => hook.name === body.webhook);
      if (!webhook) {
        const known = hooks.length > 0 ? `: one of ${hooks.map((h) => h.name).join(', ')}` : '';
        throw new HttpError(
          400,
          'unknown_webhook',
          `no action webhook named "${body.webhook}" in retention.action_webhooks${known}`,
          'body.webhook',
        );
      }
      const actor = actorOf(signedIn(principal), ip);
      const result = await deps.warehouse.transaction((tx) =>
        dispatchActions(tx, params.campaignId, webhook, actor, now),
      );
      if (!result) throw campaignNotFound(params.campaignId);
      return result;
    },
  }),
  defineRoute({
    id: 'listCampaignDispatches',
    method: 'GET',
    path: '/api/campaigns/:campaignId/dispatches',
    access: 'campaigns:read',
    tag: 'campaigns',
    summary: 'Where the campaign’s actions were sent, and how many batches each receiver has accepted.',
    response: z.object({ dispatches: z.array(dispatchSchema) }),
    handler: async ({ deps, params }) => {
      const dispatches = await listDispatches(deps.warehouse, params.campaignId);
      if (!dispatches) throw campaignNotFound(params.campaignId);
      return { dispatches };
    },
  }),
];
