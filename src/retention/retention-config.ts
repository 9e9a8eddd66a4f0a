// The `retention:` section of churnwatch.yaml: the bar strategies are judged by (R19) and the webhooks of the
// marketing, SMS and service systems that campaigns send their actions to in signed batches (R18).

import { z } from 'zod';
import { handle, httpUrl, unique } from '../alerts/alerts-config.js';

/**
 * A system that receives a campaign's actions: POSTed as JSON batches, signed like the alert webhook
 * (src/alerts/channels/webhook.ts documents the scheme), delivered through the outbox with its retries.
 */
export const actionWebhookSchema = z
  .strictObject({
    name: handle,
    url: httpUrl,
    secret: z.string().min(1).optional(),
    secret_env: z.string().min(1).optional(),
    /** Milliseconds to wait for the receiver's answer (default 10000: a batch is bigger than an alert). */
    timeout_ms: z.number().int().min(100).max(120_000).default(10_000),
    /** Actions per message (default 500). */
    batch_size: z.number().int().min(1).max(5000).default(500),
  })
  .superRefine((hook, context) => {
    if ((hook.secret === undefined) === (hook.secret_env === undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['secret_env'],
        message: 'a webhook needs exactly one of secret_env (an environment variable) or secret',
      });
    }
  });

export type ActionWebhookConfig = z.infer<typeof actionWebhookSchema>;

export const retentionSchema = z
  .strictObject({
    /**
     * The smallest churn reduction (a share, control − treated) a strategy must reach: confidently below it,
     * the strategy is flagged for retirement.
     */
    retire_below: z.number().min(0).max(1).default(0.01),
    action_webhooks: z.array(actionWebhookSchema).default([]),
  })
  .superRefine((retention, context) => unique(retention.action_webhooks, 'action_webhooks', context));

export type RetentionConfig = z.infer<typeof retentionSchema>;

/** The section's defaults (no `retention:` in the file). */
export const DEFAULT_RETENTION: RetentionConfig = retentionSchema.parse({});
