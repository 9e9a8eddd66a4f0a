// The campaign builder's state as its inputs hold it, the request it makes, and the words for the API's
// refusals (an empty target, a zero budget, an unknown or inactive strategy).

import { ApiError } from '../api/client';
import type { CampaignMode, CampaignRequest } from '../api/retention-types';
import type { Tier } from '../api/types';
import type { I18n } from '../i18n/i18n';

export interface CampaignDraft {
  name: string;
  mode: CampaignMode;
  /** match: the strategies to choose from (none: every active one); assign: the one strategy. */
  strategyIds: string[];
  tiers: Tier[];
  segment: string;
  /** A cause tag, or '' for any. */
  reason: string;
  /** In percent. */
  controlShare: string;
  /** Empty: no limit. */
  budget: string;
  /** How customers are priced: risk × save rate, or the uplift models where they exist. */
  ranking: 'risk' | 'uplift';
}

export const NEW_CAMPAIGN: CampaignDraft = {
  name: '',
  mode: 'match',
  strategyIds: [],
  tiers: ['high', 'medium'],
  segment: '',
  reason: '',
  controlShare: '10',
  budget: '',
  ranking: 'risk',
};

/** The request for `draft`; `seed` makes the launch the campaign that was previewed. */
export function campaignRequest(draft: CampaignDraft, seed?: number): CampaignRequest & { seed?: number } {
  const target: CampaignRequest['target'] = {};
  if (draft.tiers.length > 0) target.tiers = draft.tiers;
  if (draft.segment !== '') target.segment = draft.segment;
  if (draft.reason !== '') target.reason = draft.reason;
  const strategyIds = draft.mode === 'assign' ? draft.strategyIds.slice(0, 1) : draft.strategyIds;
  return {
    name: draft.name.trim(),
    mode: draft.mode,
    ...(strategyIds.length > 0 ? { strategyIds } : {}),
    target,
    budget: draft.budget.trim() === '' ? null : Number(draft.budget),
    controlShare: Number(draft.controlShare) / 100,
    ranking: draft.ranking,
    ...(seed === undefined ? {} : { seed }),
  };
}

const EXPLAINED = [
  'empty_target',
  'zero_budget',
  'unknown_strategy',
  'strategy_not_active',
  'invalid_body',
] as const;

/** A refusal in words: the known ones explained, the others with the server's message. */
export function campaignErrorText(i18n: I18n, error: unknown): string {
  if (error instanceof ApiError) {
    const known = EXPLAINED.find((code) => code === error.code);
    if (known === 'invalid_body') return i18n.t('campaigns.error.invalid_body', { message: error.message });
    if (known) return i18n.t(`campaigns.error.${known}`);
  }
  return i18n.t('error.generic', { message: error instanceof Error ? error.message : String(error) });
}
