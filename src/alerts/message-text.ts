// The text of any outbox message (one alert or a daily digest) for channels that send words: chat robots,
// e-mail and SMS. Each event type renders itself in its own file; this picks the right one.

import { type AlertEvent, alertText, headline } from './alert-event.js';
import { type CampaignActionsEvent, campaignActionsTitle } from './campaign-actions-event.js';
import { type DigestEvent, digestText, digestTitle } from './digest-event.js';

/** What an outbox message carries. */
export type OutboxEvent = AlertEvent | DigestEvent | CampaignActionsEvent;

/** One-line title (e-mail subject, DingTalk title). */
export function messageTitle(event: OutboxEvent, language: 'en' | 'zh-CN'): string {
  if (event.type === 'campaign.actions') return campaignActionsTitle(event, language);
  return event.type === 'alerts.digest' ? digestTitle(event, language) : headline(event, language);
}

/** Multi-line text; `bold` wraps the title in the channel's markdown. */
export function messageText(
  event: OutboxEvent,
  language: 'en' | 'zh-CN',
  bold?: (text: string) => string,
): string {
  if (event.type === 'campaign.actions') {
    const title = campaignActionsTitle(event, language);
    return bold ? bold(title) : title;
  }
  return event.type === 'alerts.digest'
    ? digestText(event, language, bold)
    : alertText(event, language, bold);
}
