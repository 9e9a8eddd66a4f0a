// The market around the customers, day by day: shopping seasons (618, 双11, 双12, Spring Festival), churn
// seasons, one plan price increase, and a few regional competitor promotions. Same seed, same market.

import type { Random } from '../ml/random.js';
import { PLANS, REGIONS } from './business-model.js';
import type { Calendar } from './calendar.js';

/** A competitor's promotion in one region: customers there feel `strength` of pull while it runs. */
export interface CompetitorPromotion {
  region: number;
  /** First and last day (inclusive); the last is cut at the end of the period, `plannedEndDay` is not. */
  startDay: number;
  endDay: number;
  plannedEndDay: number;
  strength: number;
}

export interface World {
  calendar: Calendar;
  /** Per day: multiplier of app sessions (weekday × season). */
  sessionSeason: Float32Array;
  /** Per day: multiplier of purchases (shopping festivals). */
  shoppingSeason: Float32Array;
  /** Per day: multiplier of the voluntary churn hazard. */
  churnSeason: Float32Array;
  /** The day the plan fees rise to PLANS[p].raisedFee. */
  priceIncreaseDay: number;
  /** Per plan and day, `[plan * days + day]`: how much the recent price increase stings (0 when none). */
  priceShock: Float32Array;
  /** Per region and day, `[region * days + day]`: pull of competitor promotions. */
  competitorPull: Float32Array;
  promotions: CompetitorPromotion[];
}

/** Spring Festival (农历新年) dates; years not listed use 5 February. */
const SPRING_FESTIVAL: Readonly<Record<number, string>> = {
  2023: '01-22',
  2024: '02-10',
  2025: '01-29',
  2026: '02-17',
  2027: '02-06',
  2028: '01-26',
  2029: '02-13',
  2030: '02-03',
};

/** Builds the market of the calendar's period. */
export function buildWorld(calendar: Calendar, random: Random): World {
  return assembleWorld(calendar, priceIncreaseDayOf(calendar), drawPromotions(calendar.days, random));
}

/**
 * The market of `world` continued to `calendar`'s end (a longer calendar from the same day 0): every
 * array equal to the world's over its days; the price increase and the promotions running at its end go
 * on; new promotions start in the new months, drawn from `monthRandom(month)` per month (index into the
 * calendar's months), so playing two months and then one gives the market of playing three at once.
 */
export function extendWorld(world: World, calendar: Calendar, monthRandom: (month: number) => Random): World {
  const oldDays = world.calendar.days;
  const days = calendar.days;
  if (calendar.startMs !== world.calendar.startMs || days < oldDays) {
    throw new RangeError(`the extended calendar must start on day 0 of the world and end after it`);
  }
  const clip = (p: CompetitorPromotion) => ({ ...p, endDay: Math.min(days - 1, p.plannedEndDay) });
  const promotions = world.promotions.map(clip);
  const firstNewMonth = world.calendar.monthStarts.length;
  for (let m = firstNewMonth; m < calendar.monthStarts.length; m++) {
    const start = calendar.monthStarts[m]!;
    const monthDays = (m + 1 < calendar.monthStarts.length ? calendar.monthStarts[m + 1]! : days) - start;
    for (const p of drawMonthPromotions(start, monthDays, monthRandom(m))) promotions.push(clip(p));
  }
  // An increase that had not come by the end of the period never comes.
  const increase = world.priceIncreaseDay < oldDays ? world.priceIncreaseDay : Number.MAX_SAFE_INTEGER;
  return assembleWorld(calendar, increase, promotions);
}

function assembleWorld(
  calendar: Calendar,
  priceIncreaseDay: number,
  promotions: CompetitorPromotion[],
): World {
  const days = calendar.days;
  const sessionSeason = new Float32Array(days);
  const shoppingSeason = new Float32Array(days);
  const churnSeason = new Float32Array(days);
  for (let d = 0; d < days; d++) {
    const { session, shopping, churn } = seasonOf(calendar, d);
    const weekday = calendar.weekday[d]!;
    const weekend = weekday === 0 || weekday === 6;
    sessionSeason[d] = session * (weekend ? 1.2 : weekday === 5 ? 1.05 : 0.95);
    shoppingSeason[d] = shopping * (weekend ? 1.15 : 0.95);
    churnSeason[d] = churn;
  }
  const priceShock = new Float32Array(PLANS.length * days);
  PLANS.forEach((plan, p) => {
    const rise = plan.raisedFee / plan.fee - 1;
    if (rise <= 0 || priceIncreaseDay >= days) return;
    // Announced 30 days ahead (a little sting), then felt at the first bills and fading over months.
    for (let d = Math.max(0, priceIncreaseDay - 30); d < days; d++) {
      const since = d - priceIncreaseDay;
      priceShock[p * days + d] = since < 0 ? rise * 2 : rise * 7 * Math.exp(-since / 120);
    }
  });
  const competitorPull = new Float32Array(REGIONS.length * days);
  for (const promotion of promotions) {
    const base = promotion.region * days;
    for (let d = promotion.startDay; d < days; d++) {
      // Full pull while it runs, fading over ~3 weeks after it ends.
      const after = d - promotion.plannedEndDay;
      const pull = after <= 0 ? promotion.strength : promotion.strength * Math.exp(-after / 21);
      if (pull < 0.01) break;
      competitorPull[base + d] = competitorPull[base + d]! + pull;
    }
  }
  return {
    calendar,
    sessionSeason,
    shoppingSeason,
    churnSeason,
    priceIncreaseDay,
    priceShock,
    competitorPull,
    promotions,
  };
}

/** The plan fee in force on `day`. */
export function feeOn(world: World, plan: number, day: number): number {
  const p = PLANS[plan]!;
  return day >= world.priceIncreaseDay ? p.raisedFee : p.fee;
}

function seasonOf(calendar: Calendar, day: number): { session: number; shopping: number; churn: number } {
  const month = calendar.month[day]! + 1;
  const date = calendar.dayOfMonth[day]!;
  let session = 1;
  let shopping = 1;
  let churn = 1;
  if (month === 6 && date <= 18) {
    session = 1.2;
    shopping = 1.6; // 618
  } else if ((month === 10 && date >= 24) || (month === 11 && date <= 11)) {
    session = 1.45;
    shopping = 2.3; // 双11
  } else if (month === 12 && date <= 12) {
    session = 1.1;
    shopping = 1.3; // 双12
  }
  const fromFestival = daysFromSpringFestival(calendar, day);
  if (fromFestival >= -14 && fromFestival < 0) shopping *= 1.3; // new-year shopping
  if (fromFestival >= 0 && fromFestival < 10) {
    session *= 0.75; // the holiday
    shopping *= 0.6;
  }
  if (month === 1 || month === 2)
    churn = 1.25; // after the holidays, new budgets
  else if (month === 3 || month === 7 || month === 8) churn = 1.1;
  else if (month === 11 && date > 11)
    churn = 1.2; // deal hunters leave after 双11
  else if (month === 12 || month === 11) churn = 0.85;
  return { session, shopping, churn };
}

function daysFromSpringFestival(calendar: Calendar, day: number): number {
  const ms = calendar.startMs + day * 86_400_000;
  const year = new Date(ms).getUTCFullYear();
  const [m, d] = (SPRING_FESTIVAL[year] ?? '02-05').split('-').map(Number) as [number, number];
  return Math.round((ms - Date.UTC(year, m - 1, d)) / 86_400_000);
}

/** The first day of the month nearest 55% into the period (at least two months in). */
function priceIncreaseDayOf(calendar: Calendar): number {
  const target = Math.max(60, Math.round(calendar.days * 0.55));
  let best = calendar.days; // beyond the period when it is too short: no increase
  for (const start of calendar.monthStarts) {
    if (start >= 60 && Math.abs(start - target) < Math.abs(best - target)) best = start;
  }
  return best;
}

/** About one promotion per four months, each in one region (sometimes two), four to ten weeks long. */
function drawPromotions(days: number, random: Random): CompetitorPromotion[] {
  const count = Math.max(1, Math.round(days / 120));
  const promotions: CompetitorPromotion[] = [];
  for (let i = 0; i < count; i++) {
    const length = 28 + random.nextInt(43);
    const startDay = Math.min(days - 1, 20 + random.nextInt(Math.max(1, days - 60)));
    const plannedEndDay = startDay + length - 1;
    const endDay = Math.min(days - 1, plannedEndDay);
    const strength = 0.8 + 0.7 * random.next();
    const region = random.nextInt(REGIONS.length);
    promotions.push({ region, startDay, endDay, plannedEndDay, strength });
    if (random.next() < 0.3) {
      const other = (region + 1 + random.nextInt(REGIONS.length - 1)) % REGIONS.length;
      promotions.push({ region: other, startDay, endDay, plannedEndDay, strength: strength * 0.7 });
    }
  }
  return promotions.sort((a, b) => a.startDay - b.startDay || a.region - b.region);
}

/** The promotions starting in one played month: about one per four months, as drawPromotions. */
function drawMonthPromotions(start: number, monthDays: number, random: Random): CompetitorPromotion[] {
  if (random.next() >= monthDays / 120) return [];
  const startDay = start + random.nextInt(monthDays);
  const plannedEndDay = startDay + 28 + random.nextInt(43) - 1;
  const strength = 0.8 + 0.7 * random.next();
  const region = random.nextInt(REGIONS.length);
  const promotions = [{ region, startDay, endDay: plannedEndDay, plannedEndDay, strength }];
  if (random.next() < 0.3) {
    const other = (region + 1 + random.nextInt(REGIONS.length - 1)) % REGIONS.length;
    promotions.push({
      region: other,
      startDay,
      endDay: plannedEndDay,
      plannedEndDay,
      strength: strength * 0.7,
    });
  }
  return promotions.sort((a, b) => a.region - b.region);
}
