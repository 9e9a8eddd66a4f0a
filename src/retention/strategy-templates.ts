// The built-in strategy library (R16): templates per industry a company starts from. Save-rate priors are
// deliberately modest starting points; campaigns' measured results replace them as evidence accumulates
// (save-rates.ts). Costs are per treated customer, in the company's currency.

import type { StrategyFields } from './strategy.js';

/** A template: the fields of a strategy plus a stable id. */
export interface StrategyTemplate extends StrategyFields {
  id: string;
}

const atRisk = ['high', 'medium'] as const;

/** Every built-in template; ids are stable (strategies remember which one they came from). */
export const STRATEGY_TEMPLATES: readonly StrategyTemplate[] = [
  {
    id: 'ecommerce-coupon',
    industry: 'ecommerce',
    name: { en: 'Win-back coupon', 'zh-CN': '挽回优惠券' },
    description: {
      en: 'A fixed-amount coupon for price-sensitive shoppers whose spend is falling.',
      'zh-CN': '面向消费下降、对价格敏感的顾客发放固定金额优惠券。',
    },
    actionKind: 'coupon',
    channel: 'sms',
    conditions: { tiers: [...atRisk], causes: ['price_sensitive'] },
    unitCost: 10,
    savePrior: 0.15,
    parameters: { amount: 10, validityDays: 14 },
    budget: null,
    priority: 50,
  },
  {
    id: 'ecommerce-discount',
    industry: 'ecommerce',
    name: { en: 'Percentage discount', 'zh-CN': '折扣优惠' },
    description: {
      en: 'A 15% discount on the next order for valuable customers at risk for price or competitor offers.',
      'zh-CN': '为因价格或竞品吸引而有流失风险的高价值顾客提供下单 85 折优惠。',
    },
    actionKind: 'discount',
    channel: 'email',
    conditions: { tiers: [...atRisk], causes: ['price_sensitive', 'competitor_attracted'], minValue: 100 },
    unitCost: 20,
    savePrior: 0.2,
    parameters: { discount: 0.15, validityDays: 14 },
    budget: null,
    priority: 40,
  },
  {
    id: 'ecommerce-reengagement',
    industry: 'ecommerce',
    name: { en: 'Re-engagement push', 'zh-CN': '召回推送' },
    description: {
      en: 'Personalised content and reminders for customers who stopped visiting.',
      'zh-CN': '为不再访问的顾客推送个性化内容与提醒。',
    },
    actionKind: 'reengagement',
    channel: 'push',
    conditions: { tiers: [...atRisk], causes: ['disengaged'] },
    unitCost: 0.5,
    savePrior: 0.05,
    parameters: { messages: 2 },
    budget: null,
    priority: 30,
  },
  {
    id: 'ecommerce-service-call',
    industry: 'ecommerce',
    name: { en: 'Service recovery call', 'zh-CN': '服务补救回访' },
    description: {
      en: 'A service agent calls to resolve open tickets and low satisfaction.',
      'zh-CN': '客服专员致电解决未结工单与满意度低的问题。',
    },
    actionKind: 'service_call',
    channel: 'phone',
    conditions: { tiers: [...atRisk], causes: ['service_dissatisfied'] },
    unitCost: 8,
    savePrior: 0.2,
    parameters: { withinHours: 48 },
    budget: null,
    priority: 60,
  },
  {
    id: 'finance-rate-bonus',
    industry: 'finance',
    name: { en: 'Deposit rate bonus', 'zh-CN': '存款利率加息' },
    description: {
      en: 'An extra interest rate for a fixed term, for customers drawn by better rates elsewhere.',
      'zh-CN': '为被他行更高利率吸引的客户提供限期加息。',
    },
    actionKind: 'rate_bonus',
    channel: 'sms',
    conditions: { tiers: [...atRisk], causes: ['competitor_attracted', 'price_sensitive'] },
    unitCost: 30,
    savePrior: 0.2,
    parameters: { bonusRate: 0.005, termDays: 90 },
    budget: null,
    priority: 50,
  },
  {
    id: 'finance-personal-adviser',
    industry: 'finance',
    name: { en: 'Personal adviser', 'zh-CN': '专属理财顾问' },
    description: {
      en: 'A dedicated adviser contacts high-value customers at risk.',
      'zh-CN': '专属顾问联系有流失风险的高价值客户。',
    },
    actionKind: 'personal_adviser',
    channel: 'phone',
    conditions: { tiers: ['high'], minValue: 1000 },
    unitCost: 50,
    savePrior: 0.25,
    parameters: { followUps: 2 },
    budget: null,
    priority: 70,
  },
  {
    id: 'telecom-plan-upgrade',
    industry: 'telecom',
    name: { en: 'Plan upgrade at the same price', 'zh-CN': '同价套餐升级' },
    description: {
      en: 'More data or minutes at the current price for a contract period.',
      'zh-CN': '合约期内以原价升级流量或通话时长。',
    },
    actionKind: 'plan_upgrade',
    channel: 'sms',
    conditions: { tiers: [...atRisk], causes: ['price_sensitive', 'competitor_attracted', 'disengaged'] },
    unitCost: 15,
    savePrior: 0.15,
    parameters: { upgradeMonths: 6, extraDataGb: 10 },
    budget: null,
    priority: 50,
  },
  {
    id: 'saas-trial-extension',
    industry: 'saas',
    name: { en: 'Trial extension', 'zh-CN': '延长试用' },
    description: {
      en: 'Extends the trial or the current tier for accounts that have not yet adopted the product.',
      'zh-CN': '为尚未充分使用产品的账户延长试用期。',
    },
    actionKind: 'trial_extension',
    channel: 'email',
    conditions: { tiers: [...atRisk], causes: ['disengaged', 'price_sensitive'] },
    unitCost: 5,
    savePrior: 0.1,
    parameters: { extraDays: 14 },
    budget: null,
    priority: 40,
  },
  {
    id: 'saas-onboarding-call',
    industry: 'saas',
    name: { en: 'Onboarding call', 'zh-CN': '上手引导通话' },
    description: {
      en: 'A customer-success call that walks the account through the features it is not using.',
      'zh-CN': '客户成功经理致电，引导账户使用尚未用到的功能。',
    },
    actionKind: 'onboarding_call',
    channel: 'phone',
    conditions: { tiers: [...atRisk], causes: ['disengaged', 'service_dissatisfied'] },
    unitCost: 40,
    savePrior: 0.25,
    parameters: { durationMinutes: 30 },
    budget: null,
    priority: 60,
  },
];

/** The template with `id`, or undefined. */
export function findTemplate(id: string): StrategyTemplate | undefined {
  return STRATEGY_TEMPLATES.find((template) => template.id === id);
}
