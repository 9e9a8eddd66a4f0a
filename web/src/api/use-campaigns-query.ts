// The campaigns from GET /api/campaigns, newest first, with their progress.

import type { CampaignList } from './retention-types';
import { type ApiQuery, useApiQuery } from './use-api-query';

/** The newest campaigns; asks again when `version` changes. */
export function useCampaignsQuery(version = 0): ApiQuery<CampaignList> {
  return useApiQuery('/api/campaigns?limit=200', version);
}
