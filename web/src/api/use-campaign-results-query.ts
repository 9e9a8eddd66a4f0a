// What a campaign did, from GET /api/campaigns/:id/results: not measurable yet, or measured (and the truth).

import type { CampaignResults } from './retention-types';
import { type ApiQuery, useApiQuery } from './use-api-query';

/** The results of campaign `id`; asks again when `version` changes (after a play). */
export function useCampaignResultsQuery(id: string, version = 0): ApiQuery<CampaignResults> {
  return useApiQuery(`/api/campaigns/${encodeURIComponent(id)}/results`, version);
}
