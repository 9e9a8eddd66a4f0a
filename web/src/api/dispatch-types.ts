// What the dispatch routes answer (src/server/routes/dispatch-routes.ts).

/** A system campaigns can send their actions to. */
export interface ActionWebhook {
  name: string;
  host: string;
  batchSize: number;
}

/** A campaign's actions as sent to one webhook, and where their batches are. */
export interface CampaignDispatch {
  campaignId: string;
  webhook: string;
  actions: number;
  batches: number;
  createdAt: string;
  createdBy: string | null;
  delivered: number;
  pending: number;
  dead: number;
  lastError: string | null;
}
