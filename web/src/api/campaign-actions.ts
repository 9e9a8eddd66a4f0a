// The campaign calls the dashboard makes: preview (nothing written) and launch (campaigns:run), and the demo's
// play job (data:ingest) with its progress.

import { apiRequest } from './client';
import type { Campaign, CampaignPreview, CampaignRequest, Job } from './retention-types';

/** What the campaign would be, writing nothing. */
export function previewCampaign(request: CampaignRequest): Promise<CampaignPreview> {
  return apiRequest<CampaignPreview>('POST', '/api/campaigns/preview', request);
}

/** Launches the campaign. */
export function launchCampaign(request: CampaignRequest): Promise<Campaign> {
  return apiRequest<Campaign>('POST', '/api/campaigns', request);
}

/** Starts playing the demo business `months` further (409 not_a_demo outside a demo workspace). */
export function startPlay(months: number): Promise<Job> {
  return apiRequest<Job>('POST', '/api/jobs', { kind: 'play', months });
}

/** One job's status and progress. */
export function fetchJob(id: string): Promise<Job> {
  return apiRequest<Job>('GET', `/api/jobs/${encodeURIComponent(id)}`);
}

/** The path of a campaign's actions export (CSV, downloaded by the browser). */
export function campaignActionsCsvPath(id: string): string {
  return `/api/campaigns/${encodeURIComponent(id)}/actions.csv`;
}
