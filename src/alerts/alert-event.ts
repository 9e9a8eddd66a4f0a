// What an outbox message carries: the alert as a channel-neutral event. It is stored with the message, so a
// retry sends exactly what the first attempt sent; each channel renders it in its own format.

/** The alert as receivers see it. Personal fields (name, phone, e-mail) are never sent. */
export interface AlertEvent {
  type: 'alert.created';
  alert: {
    id: string;
    customerId: string;
    segment: string | null;
    /** The rule's configured name, and its kind. */
    rule: string;
    kind: string;
    tier: string;
    previousTier: string | null;
    probability: number;
    previousProbability: number | null;
    /** The customer's value (spend) when the rule looks at it, else null. */
    value: number | null;
    /** The scoring date and model version of the score that raised the alert. */
    scoredAt: string;
    modelVersion: number;
    reasons: { en: string; 'zh-CN': string };
    /** Feature names of the main drivers, strongest first. */
    drivers: string[];
    /** ISO 8601 time the alert was raised. */
    createdAt: string;
  };
}

/** A percentage with one decimal for message texts: 0.8234 → "82.3%". */
export function percent(probability: number): string {
  return `${(probability * 100).toFixed(1)}%`;
}

/** One-line headline of an alert in `language`. */
export function headline(event: AlertEvent, language: 'en' | 'zh-CN'): string {
  const a = event.alert;
  const before = a.previousProbability === null ? null : percent(a.previousProbability);
  if (language === 'zh-CN') {
    const tier = { high: '高', medium: '中', low: '低' }[a.tier] ?? a.tier;
    const change = before === null ? '' : `（此前 ${before}）`;
    return `流失预警：客户 ${a.customerId} ${tier}风险，流失概率 ${percent(a.probability)}${change}`;
  }
  const change = before === null ? '' : ` (was ${before})`;
  return `Churn alert: customer ${a.customerId} is ${a.tier} risk, churn probability ${percent(a.probability)}${change}`;
}

/** Multi-line text (headline, rule, reasons) for chat robots; `bold` wraps a label in the channel's markdown. */
export function alertText(
  event: AlertEvent,
  language: 'en' | 'zh-CN',
  bold: (text: string) => string = (text) => `**${text}**`,
): string {
  const a = event.alert;
  const zh = language === 'zh-CN';
  const lines = [
    bold(headline(event, language)),
    `${zh ? '规则' : 'Rule'}: ${a.rule}${a.segment ? ` · ${zh ? '客群' : 'segment'}: ${a.segment}` : ''}`,
    `${zh ? '原因' : 'Why'}: ${zh ? a.reasons['zh-CN'] : a.reasons.en}`,
    `${zh ? '评分日期' : 'Scored'}: ${a.scoredAt} · ${zh ? '预警编号' : 'alert'} ${a.id}`,
  ];
  return lines.join('\n');
}
