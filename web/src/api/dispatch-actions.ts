// Sending a campaign's actions to a configured action webhook (campaigns:run), and the queries behind the
// campaign page's dispatch panel.

import { apiRequest } from './client';
import type { ActionWebhook, CampaignDispatch } from './dispatch-types';
import { type ApiQuery, useApiQuery } from './use-api-query';

/** Queues the campaign's treated actions for `webhook` (a repeat queues nothing: `queued` false). */
export function dispatchCampaign(
  campaignId: string,
  webhook: string,
): Promise<{ queued: boolean; dispatch: CampaignDispatch }> {
  return apiRequest('POST', `/api/campaigns/${encodeURIComponent(campaignId)}/dispatches`, { webhook });
}

/** The configured action webhooks. */
export function useActionWebhooksQuery(): ApiQuery<{ webhooks: ActionWebhook[] }> {
  return useApiQuery('/api/action-webhooks');
}

/** Where campaign `id`'s actions went; asks again when `version` changes. */
export function useDispatchesQuery(id: string, version = 0): ApiQuery<{ dispatches: CampaignDispatch[] }> {
  return useApiQuery(`/api/campaigns/${encodeURIComponent(id)}/dispatches`, version);
}
