// What a retention strategy is: an action on a channel, for customers who meet its conditions (tier, segment,
// cause, value), at a unit cost, with a prior save rate, parameters, an optional budget and a priority.
// Built-in templates (strategy-templates.ts) and the company's own strategies share this one shape.

import { z } from 'zod';
import { type CauseTag, causeTagSchema } from './cause-tags.js';

/**
 * What is done to the customer. The simulator (src/simulate/action-effects.ts) knows coupon, service_call,
 * reengagement, competitor_match and loyalty_bonus; the industry templates add their own kinds.
 */
export const ACTION_KINDS = [
  'coupon',
  'discount',
  'service_call',
  'reengagement',
  'competitor_match',
  'loyalty_bonus',
  'rate_bonus',
  'personal_adviser',
  'plan_upgrade',
  'trial_extension',
  'onboarding_call',
] as const;

export type ActionKind = (typeof ACTION_KINDS)[number];

/** How the action reaches the customer: the company's marketing, messaging and service systems. */
export const CHANNELS = ['sms', 'email', 'push', 'phone', 'in_app', 'crm'] as const;

export type Channel = (typeof CHANNELS)[number];

/** Active strategies are matched; paused ones are kept but not matched; retired ones are final. */
export const STRATEGY_STATUSES = ['active', 'paused', 'retired'] as const;

export type StrategyStatus = (typeof STRATEGY_STATUSES)[number];

export const INDUSTRIES = ['ecommerce', 'finance', 'telecom', 'saas', 'general'] as const;

export type Industry = (typeof INDUSTRIES)[number];

export const TIERS = ['high', 'medium', 'low'] as const;

/** A parameter of an action: a discount share, a validity in days, a plan name. */
export const parameterValueSchema = z.union([z.number(), z.string().max(200), z.boolean()]);

export type ParameterValue = z.infer<typeof parameterValueSchema>;

export type Parameters = Record<string, ParameterValue>;

export const parametersSchema = z
  .record(
    z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, 'a parameter name: letters, digits, _'),
    parameterValueSchema,
  )
  .refine((record) => Object.keys(record).length <= 30, 'at most 30 parameters');

/** Who a strategy is for; an absent condition admits everyone. A customer matches `causes` with any one. */
export const conditionsSchema = z
  .object({
    tiers: z.array(z.enum(TIERS)).min(1).optional(),
    segments: z.array(z.string().min(1).max(100)).min(1).optional(),
    causes: z.array(causeTagSchema).min(1).optional(),
    minValue: z.number().min(0).optional(),
    maxValue: z.number().min(0).optional(),
  })
  .strict()
  .refine((c) => c.minValue === undefined || c.maxValue === undefined || c.minValue <= c.maxValue, {
    message: 'minValue must not exceed maxValue',
    path: ['minValue'],
  });

export type Conditions = z.infer<typeof conditionsSchema>;

export const localizedTextSchema = z.object({
  en: z.string().min(1).max(500),
  'zh-CN': z.string().min(1).max(500),
});

export type LocalizedText = z.infer<typeof localizedTextSchema>;

/** Everything a user decides about a strategy (what create takes, and edit takes in part). */
export const strategyFieldsSchema = z
  .object({
    name: localizedTextSchema,
    description: localizedTextSchema,
    industry: z.enum(INDUSTRIES),
    actionKind: z.enum(ACTION_KINDS),
    channel: z.enum(CHANNELS),
    conditions: conditionsSchema,
    unitCost: z.number().min(0).max(1_000_000),
    /** The save rate before any campaign measured it: the share of would-be churners the action keeps. */
    savePrior: z.number().min(0).max(1),
    parameters: parametersSchema,
    /** The most this strategy may spend over all campaigns; null for no limit. */
    budget: z.number().positive().max(1e12).nullable(),
    /** Breaks ties between strategies of equal expected net value: higher first. */
    priority: z.number().int().min(0).max(1000),
  })
  .strict();

export type StrategyFields = z.infer<typeof strategyFieldsSchema>;

/** A stored strategy. */
export interface Strategy extends StrategyFields {
  id: string;
  /** The built-in template it was made from, if any. */
  templateId: string | null;
  status: StrategyStatus;
  /** 1 when created, +1 per edit. */
  version: number;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
}

/** The customer facts a strategy's conditions look at. */
export interface Candidate {
  customerId: string;
  tier: string;
  segment: string | null;
  value: number;
  causes: readonly CauseTag[];
}

/** True when `candidate` meets every condition of `conditions`. */
export function meetsConditions(conditions: Conditions, candidate: Candidate): boolean {
  if (conditions.tiers && !(conditions.tiers as readonly string[]).includes(candidate.tier)) return false;
  if (conditions.segments && (candidate.segment === null || !conditions.segments.includes(candidate.segment)))
    return false;
  if (conditions.causes && !conditions.causes.some((cause) => candidate.causes.includes(cause))) return false;
  if (conditions.minValue !== undefined && candidate.value < conditions.minValue) return false;
  if (conditions.maxValue !== undefined && candidate.value > conditions.maxValue) return false;
  return true;
}

/** The status changes allowed: retired is final, and a status set again is no change. */
export function canChangeStatus(from: StrategyStatus, to: StrategyStatus): boolean {
  return from !== 'retired' || to === 'retired';
}
