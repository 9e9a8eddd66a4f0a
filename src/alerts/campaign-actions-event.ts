// What a batch of a campaign's actions carries when it goes to a marketing, SMS or service system's webhook
// (src/retention/dispatch-actions.ts queues them), and its one-line text for channels that send words.
// No personal fields: the receiving systems know their customers by id.

/** One action for one treated customer: the receiver echoes `actionId` in its callbacks. */
export interface CampaignAction {
  actionId: string;
  customerId: string;
  strategyId: string;
  actionKind: string | null;
  /** The strategy's channel (sms, phone, app_push …): which of the receiver's systems carries it out. */
  channel: string | null;
  /** The action's parameters after overrides (e.g. discount 0.15, validity_days 14). */
  parameters: Record<string, unknown>;
  unitCost: number;
  tier: string;
  probability: number;
}

export interface CampaignActionsEvent {
  type: 'campaign.actions';
  campaign: { id: string; name: string };
  /** 1-based index of this batch among `count`, and the campaign's actions in all batches. */
  batch: { index: number; count: number; actions: number };
  actions: CampaignAction[];
}

/** "Campaign «name»: 500 actions (batch 1 of 3)" in `language`. */
export function campaignActionsTitle(event: CampaignActionsEvent, language: 'en' | 'zh-CN'): string {
  const { campaign, batch, actions } = event;
  return language === 'zh-CN'
    ? `活动「${campaign.name}」：${actions.length} 个行动（第 ${batch.index}/${batch.count} 批）`
    : `Campaign “${campaign.name}”: ${actions.length} actions (batch ${batch.index} of ${batch.count})`;
}
