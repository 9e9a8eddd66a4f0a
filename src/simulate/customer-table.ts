// A synthetic one-row-per-customer table with a known churn mechanism, for the demo and the tests:
// a subscription business whose customers leave for price, service and engagement reasons.

import type { Random } from '../ml/random.js';

/** Options of the generator. */
export interface CustomerTableOptions {
  rows: number;
  /** A seeded generator: the same seed gives the same table. */
  random: Random;
}

const PLANS = [
  { name: 'Basic', fee: 29 },
  { name: 'Standard', fee: 59 },
  { name: 'Premium', fee: 99 },
] as const;
const CONTRACTS = ['Month-to-month', 'One year', 'Two year'] as const;
const REGIONS = ['华东', '华北', '华南', '西部'] as const;
const PAYMENTS = ['Card', 'Bank transfer', 'E-wallet', 'Invoice'] as const;

export const CUSTOMER_TABLE_HEADER = [
  'customer_id',
  'signup_date',
  'region',
  'plan',
  'contract',
  'payment_method',
  'auto_renew',
  'tenure_months',
  'monthly_fee',
  'total_spend',
  'logins_30d',
  'logins_prev_30d',
  'support_tickets_90d',
  'unresolved_complaints',
  'satisfaction',
  'discount_pct',
  'churned',
] as const;

/** Generates the table as rows of cells (strings; '' for missing), header excluded. */
export function generateCustomerTable({ rows, random: rng }: CustomerTableOptions): string[][] {
  const random = () => rng.next();
  const pick = <T>(values: readonly T[], weights: readonly number[]): T => {
    let u = random() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < values.length; i++) {
      u -= weights[i];
      if (u < 0) return values[i];
    }
    return values[values.length - 1];
  };
  const normal = (): number => {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const poisson = (mean: number): number => {
    let k = 0;
    for (let p = Math.exp(-mean), s = p, u = random(); u > s; k++) {
      p *= mean / (k + 1);
      s += p;
    }
    return k;
  };
  const observed = Date.UTC(2026, 9, 31);
  const out: string[][] = [];
  for (let i = 0; i < rows; i++) {
    const contract = pick(CONTRACTS, [0.55, 0.25, 0.2]);
    const plan = pick(PLANS, [0.45, 0.35, 0.2]);
    const region = pick(REGIONS, [0.35, 0.25, 0.25, 0.15]);
    const payment = pick(PAYMENTS, [0.35, 0.25, 0.3, 0.1]);
    const tenure = Math.min(
      72,
      Math.floor(-Math.log(1 - random()) * (contract === 'Month-to-month' ? 14 : 32)),
    );
    const discount = random() < 0.25 ? pick([5, 10, 15, 20], [0.4, 0.3, 0.2, 0.1]) : 0;
    const fee = Math.round(plan.fee * (1 - discount / 100) * (1 + 0.08 * normal()) * 100) / 100;
    const engagement = Math.exp(0.5 * normal() + (plan.name === 'Premium' ? 0.3 : 0));
    const loginsPrev = poisson(12 * engagement);
    const decline = random() < 0.25 ? 0.2 + 0.6 * random() : 1 + 0.15 * normal();
    const logins = poisson(loginsPrev * Math.max(0, decline));
    const tickets = poisson(0.6 + (plan.name === 'Basic' ? 0.3 : 0));
    const unresolved = tickets > 0 ? poisson(0.35 * tickets) : 0;
    const satisfaction =
      tickets > 0 ? Math.max(1, Math.min(5, Math.round(4 - unresolved + 0.8 * normal()))) : NaN;
    const autoRenew = random() < (contract === 'Month-to-month' ? 0.35 : 0.75);

    // The true churn mechanism: month-to-month, high price, falling use and unresolved complaints raise risk.
    const drop = loginsPrev > 0 ? (loginsPrev - logins) / loginsPrev : 0;
    const logit =
      -2.2 +
      (contract === 'Month-to-month' ? 1.4 : contract === 'One year' ? 0.2 : -0.9) +
      0.025 * (fee - 55) -
      0.035 * Math.min(tenure, 48) +
      2.0 * Math.max(0, drop) * (logins < 5 ? 1.5 : 1) +
      0.7 * unresolved +
      (Number.isNaN(satisfaction) ? 0 : 0.35 * (3 - satisfaction)) -
      (autoRenew ? 0.6 : 0) +
      (payment === 'Invoice' ? 0.4 : 0) -
      0.02 * discount;
    const churned = random() < 1 / (1 + Math.exp(-logit));

    const signup = new Date(observed - tenure * 30.44 * 86400000 - Math.floor(random() * 28) * 86400000);
    // A few new customers have no total yet, as real billing exports leave it blank.
    const total = tenure === 0 && random() < 0.5 ? ' ' : (fee * tenure * (0.95 + 0.1 * random())).toFixed(2);
    out.push([
      `C${String(100000 + i)}`,
      signup.toISOString().slice(0, 10),
      region,
      plan.name,
      contract,
      payment,
      autoRenew ? 'true' : 'false',
      String(tenure),
      fee.toFixed(2),
      total,
      String(logins),
      String(loginsPrev),
      String(tickets),
      String(unresolved),
      Number.isNaN(satisfaction) ? '' : String(satisfaction),
      String(discount),
      churned ? 'Yes' : 'No',
    ]);
  }
  return out;
}

/** Quotes a CSV cell when it needs it. */
function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Renders a header and rows as CSV text (UTF-8, LF line ends). */
export function toCsv(header: readonly string[], rows: readonly string[][]): string {
  return `${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}
