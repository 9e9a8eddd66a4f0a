// What a daily digest message carries (one per digest channel and day, see queue-digests.ts) and its text:
// counts of the day's new alerts per tier and rule, and the customers with the highest probability.

import { percent } from './alert-event.js';

/** One customer among a digest's top list. Personal fields (name, phone, e-mail) are never sent. */
export interface DigestCustomer {
  alertId: string;
  customerId: string;
  segment: string | null;
  rule: string;
  tier: string;
  probability: number;
  reasons: { en: string; 'zh-CN': string };
}

export interface DigestEvent {
  type: 'alerts.digest';
  digest: {
    /** The channel's local date of the digest `YYYY-MM-DD`, and its time zone. */
    date: string;
    timeZone: string;
    /** ISO 8601: alerts created in [from, to). */
    from: string;
    to: string;
    /** New alerts in the window, per tier and per rule name. */
    total: number;
    byTier: Record<string, number>;
    byRule: Record<string, number>;
    /** The customers with the highest probability (at most 10, one entry each), highest first. */
    top: DigestCustomer[];
  };
}

const TIER_ZH: Record<string, string> = { high: '高', medium: '中', low: '低' };
const TIERS = ['high', 'medium', 'low'];

/** One-line title of a digest in `language`. */
export function digestTitle(event: DigestEvent, language: 'en' | 'zh-CN'): string {
  const d = event.digest;
  return language === 'zh-CN'
    ? `流失预警日报 ${d.date}：新预警 ${d.total} 条`
    : `Churn alerts digest ${d.date}: ${d.total} new alert${d.total === 1 ? '' : 's'}`;
}

/** Multi-line text of a digest; `bold` wraps the title in the channel's markdown. */
export function digestText(
  event: DigestEvent,
  language: 'en' | 'zh-CN',
  bold: (text: string) => string = (text) => `**${text}**`,
): string {
  const d = event.digest;
  const zh = language === 'zh-CN';
  const tiers = TIERS.filter((tier) => (d.byTier[tier] ?? 0) > 0)
    .map((tier) => (zh ? `${TIER_ZH[tier]}风险 ${d.byTier[tier]}` : `${tier} ${d.byTier[tier]}`))
    .join(' · ');
  const rules = Object.entries(d.byRule)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([rule, n]) => `${rule} ${n}`)
    .join(' · ');
  const lines = [
    bold(digestTitle(event, language)),
    `${zh ? '按风险等级' : 'By tier'}: ${tiers}`,
    `${zh ? '按规则' : 'By rule'}: ${rules}`,
    zh ? `流失概率最高的 ${d.top.length} 位客户：` : `Top ${d.top.length} customers by churn probability:`,
    ...d.top.map((c, i) => {
      const tier = zh ? `${TIER_ZH[c.tier] ?? c.tier}风险` : `${c.tier} risk`;
      const reasons = zh ? c.reasons['zh-CN'] : c.reasons.en;
      return `${i + 1}. ${c.customerId} · ${tier} · ${percent(c.probability)} · ${reasons}`;
    }),
    `${zh ? '时段' : 'Window'}: ${d.from} – ${d.to} (${d.timeZone})`,
  ];
  return lines.join('\n');
}
