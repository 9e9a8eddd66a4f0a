// One campaign with its progress per strategy, from GET /api/campaigns/:id.

import type { Campaign } from './retention-types';
import { type ApiQuery, useApiQuery } from './use-api-query';

/** Campaign `id`. */
export function useCampaignQuery(id: string): ApiQuery<Campaign> {
  return useApiQuery(`/api/campaigns/${encodeURIComponent(id)}`);
}
