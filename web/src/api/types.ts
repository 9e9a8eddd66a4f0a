// The shapes the dashboard reads from the API (see /api/openapi.json): customers, scores, models, data.

export type Tier = 'high' | 'medium' | 'low';
export const TIERS: readonly Tier[] = ['high', 'medium', 'low'];

/** A text in both dashboard languages. */
export interface Bilingual {
  en: string;
  'zh-CN': string;
}

/** One row of GET /api/customers. Personal fields come masked or not, as the role allows. */
export interface CustomerRow {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  segment: string | null;
  region: string | null;
  plan: string | null;
  probability: number;
  tier: string;
  reasons: Bilingual;
  drivers: string[];
  value: number;
  scoredAt: string;
  modelVersion: number;
}

export interface CustomerPage {
  total: number;
  limit: number;
  offset: number;
  nextCursor: string | null;
  customers: CustomerRow[];
}

/** GET /api/customers/:id, the 360° view. */
export interface CustomerView {
  profile: {
    customerId: string;
    signupAt: string;
    segment: string | null;
    region: string | null;
    plan: string | null;
    name: string | null;
    phone: string | null;
    email: string | null;
  };
  personalMasked: boolean;
  asOf: string;
  activity: {
    kind: string;
    last30: number;
    last90: number;
    amount90: number | null;
    latest: string | null;
  }[];
  openTickets: number;
  cancelledAt: string | null;
  timeline: TimelineItem[];
  /** Newest first, at most 50. */
  tickets: {
    openedAt: string;
    resolvedAt: string | null;
    category: string | null;
    satisfaction: number | null;
  }[];
  /** Newest first, at most 50. */
  transactions: { at: string; amount: number; product: string | null; paymentMethod: string | null }[];
  scores: { scoredAt: string; modelVersion: number; probability: number; tier: string; reasons: Bilingual }[];
}

/** GET /api/scores/reasons. */
export interface TopReasons {
  tiers: string[];
  customers: number;
  reasons: { feature: string; main: number; anywhere: number }[];
}

export interface ModelMetrics {
  rocAuc: number | null;
  prAuc: number | null;
  logLoss: number | null;
  brier: number | null;
}

/** One entry of GET /api/models. */
export interface ModelVersion {
  version: number;
  kind: string;
  status: 'champion' | 'challenger' | 'retired';
  createdAt: string;
  testCutoff: string;
  trainCutoffs: string[];
  metrics: ModelMetrics;
}

/** One kind's evaluation line in the training report (the reference's keys). */
export interface ModelResult {
  model: string;
  status: string;
  roc_auc?: number | null;
  pr_auc?: number | null;
  accuracy?: number | null;
  log_loss?: number | null;
  brier?: number | null;
  top_decile_lift?: number | null;
  ece?: number | null;
}

export interface CutoffFigures {
  cutoff: string;
  role: string;
  customers: number;
  positives: number;
  positive_rate: number;
  voluntary?: number;
  involuntary?: number;
  roc_auc?: number | null;
  pr_auc?: number | null;
}

export interface TestCurves {
  roc: { fpr: number[]; tpr: number[]; thresholds: number[] };
  pr: { precision: number[]; recall: number[]; thresholds: number[] };
  lift: {
    decile: number;
    count: number;
    positives: number;
    rate: number;
    lift: number;
    cumulativeGain: number;
  }[];
  calibration: { meanPredicted: number; fractionPositive: number; count: number }[];
  rows: number;
  positives: number;
}

/** The training report as stored; every part may be missing in an older report. */
export interface ModelReport {
  results?: ModelResult[];
  baseline?: { roc_auc?: number | null; pr_auc?: number | null } | null;
  cutoffs?: CutoffFigures[];
  test?: TestCurves | null;
}

/** GET /api/models/:version. */
export interface ModelDetail extends ModelVersion {
  report: ModelReport;
  importance: { feature: string; gain: number | null; meanAbsContribution: number }[] | null;
}

export interface Load {
  loadId: number;
  source: string;
  file: string;
  loadedAt: string;
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
}

export interface QuarantineSummary {
  counts: { source: string; reason: string; rows: number }[];
  examples: {
    loadId: number;
    source: string;
    file: string;
    line: number;
    customerId: string | null;
    reason: string;
    detail: string | null;
    raw: Record<string, unknown>;
  }[];
}

export interface InactivityCurve {
  activity: string | null;
  computedAt: string | null;
  suggestedHorizonDays: number | null;
  points: {
    gapDays: number;
    inactiveCustomers: number;
    returnedCustomers: number;
    returnShare: number | null;
  }[];
}

/** GET /api/segments. */
export interface SegmentList {
  segments: { segment: string; customers: number }[];
}

export type AlertStatus = 'new' | 'acknowledged' | 'closed';
export const ALERT_STATUSES: readonly AlertStatus[] = ['new', 'acknowledged', 'closed'];

/** One alert of GET /api/alerts (personal fields masked by role). */
export interface Alert {
  id: string;
  customerId: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  segment: string | null;
  rule: string;
  kind: 'enters_tier' | 'score_jump' | 'high_value_threshold';
  tier: string;
  previousTier: string | null;
  probability: number;
  previousProbability: number | null;
  value: number | null;
  reasons: Bilingual;
  drivers: string[];
  scoredAt: string;
  status: AlertStatus;
  createdAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  closedBy: string | null;
  closedAt: string | null;
  delivery: { pending: number; delivered: number; dead: number };
}

export interface AlertPage {
  total: number;
  limit: number;
  offset: number;
  alerts: Alert[];
}

/** One message of GET /api/alerts/outbox. */
export interface OutboxMessage {
  id: string;
  alertId: string;
  customerId: string | null;
  rule: string | null;
  channel: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface OutboxPage {
  total: number;
  limit: number;
  offset: number;
  messages: OutboxMessage[];
}

/** GET /api/metrics/churn: churn as businesses report it, by the workspace's churn definition. */
export interface ChurnRates {
  definition: { kind: 'contractual' | 'nonContractual' | 'partial'; horizonDays: number };
  customerChurn: {
    months: {
      month: string;
      customersAtStart: number;
      lost: number | null;
      newCustomers: number;
      rate: number | null;
      annualised: number | null;
    }[];
    trailingMonthlyRate: number | null;
    trailingAnnualised: number | null;
    trailingMonths: number;
  };
  revenueRetention: {
    month: string;
    revenue: number;
    baseRevenue: number;
    lostRevenue: number;
    revenueChurn: number | null;
    grossRevenueRetention: number | null;
    netRevenueRetention: number | null;
    annualNetRevenueRetention: number | null;
  }[];
  cohorts: { cohort: string; customers: number; retained: number[] }[];
}

/** One thing that happened to a customer: `detail` in English, `facts` to write it in the chosen language. */
export interface TimelineItem {
  at: string;
  kind: 'event' | 'purchase' | 'ticket' | 'cancellation';
  detail: string;
  facts: {
    eventType: string | null;
    amount: number | null;
    product: string | null;
    category: string | null;
    resolved: boolean | null;
    satisfaction: number | null;
    reason: string | null;
    voluntary: boolean | null;
  };
}
