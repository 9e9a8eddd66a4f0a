// One customer's service tickets: when they are opened and about what, how long they take (some are never
// resolved), how satisfied the customer is afterwards, and the pressure that waiting and bad experiences
// put on the customer. Tickets are written out at the end, once it is known whether the customer stayed.

import type { Random } from '../ml/random.js';
import type { ActivitySink } from './behaviour.js';
import { cumulativeWeights, logNormal, normal, pickIndex } from './draws.js';

/** Ticket mix (billing, quality, delivery, app) and median hours to resolve per category. */
const TICKET_MIX = [0.12, 0.3, 0.38, 0.2];
const RESOLUTION_HOURS = [10, 30, 16, 20];
const QUALITY = 1;
const NEVER_RESOLVED = 0.05;
const SURVEY_ANSWERED = 0.85;
/** Daily decay of the memory of bad experiences (half-life about 46 days). */
const FORGET = 0.985;

interface Ticket {
  openedSecond: number;
  openedDay: number;
  category: number;
  /** Infinity when never resolved. */
  resolvedSecond: number;
  /** 1–5, or 0 when the survey is not answered. */
  satisfaction: number;
  counted: boolean;
}

export class ServiceHistory {
  /** Open tickets at the start of the current day, each weighted by its wait (a week = 1, at most 1.5). */
  openAged = 0;
  private badExperience = 0;
  private readonly tickets: Ticket[] = [];
  private readonly mix = TICKET_MIX.slice();

  /** Moves to `day`: resolutions before it count (satisfaction 1–2 hurts, 4–5 heals a little). */
  startDay(day: number, daySecond: number): void {
    this.badExperience *= FORGET;
    let openAged = 0;
    for (const ticket of this.tickets) {
      if (ticket.resolvedSecond < daySecond) {
        if (!ticket.counted && ticket.satisfaction > 0) {
          const change =
            ticket.satisfaction <= 2 ? 3 - ticket.satisfaction : ticket.satisfaction >= 4 ? -0.2 : 0;
          this.badExperience = Math.max(0, this.badExperience + change);
        }
        ticket.counted = true;
      } else {
        openAged += Math.min(1.5, (day - ticket.openedDay) / 7);
      }
    }
    this.openAged = openAged;
  }

  /** Pressure toward leaving for service reasons, given the customer's sensitivity. */
  pressure(sensitivity: number): number {
    return sensitivity * (0.45 * this.openAged + 0.6 * this.badExperience);
  }

  /** Opens a ticket at `second` (on `day`); a recent price increase (`priceShock`) brings billing questions. */
  open(random: Random, second: number, day: number, priceShock: number): void {
    this.mix[0] = TICKET_MIX[0]! * (1 + 4 * priceShock);
    const category = pickIndex(random, cumulativeWeights(this.mix));
    let resolvedSecond = Number.POSITIVE_INFINITY;
    let satisfaction = 0;
    if (random.next() >= NEVER_RESOLVED) {
      const hours = logNormal(random, RESOLUTION_HOURS[category]!, 1.1);
      resolvedSecond = second + 600 + Math.round(hours * 3600);
      if (random.next() < SURVEY_ANSWERED) {
        // Slow resolutions and quality problems leave customers less satisfied.
        const score =
          4.5 - 0.55 * Math.log(1 + hours / 24) + 0.9 * normal(random) - (category === QUALITY ? 0.3 : 0);
        satisfaction = Math.min(5, Math.max(1, Math.round(score)));
      }
    }
    this.tickets.push({
      openedSecond: second,
      openedDay: day,
      category,
      resolvedSecond,
      satisfaction,
      counted: false,
    });
  }

  /**
   * A service call at `second`: every ticket still open then counts as resolved at that time with the
   * given satisfaction (when the customer answers surveys for it), and bad memories keep only `kept`.
   */
  call(second: number, satisfaction: number, kept: number): void {
    for (const ticket of this.tickets) {
      if (ticket.resolvedSecond <= second || ticket.openedSecond > second) continue;
      ticket.resolvedSecond = second;
      ticket.satisfaction = satisfaction;
    }
    this.badExperience *= kept;
  }

  /**
   * Writes the tickets: resolved_at only when resolved by `lastSecond`, satisfaction only when the
   * customer was still a member then (`churnSecond` −1: still a member at the end). With `fromSecond`, only
   * the tickets opened from then on and those still open then (their rows replace the earlier ones).
   */
  emit(
    sink: ActivitySink,
    customer: number,
    lastSecond: number,
    churnSecond: number,
    fromSecond = Number.NEGATIVE_INFINITY,
  ): void {
    for (const ticket of this.tickets) {
      if (ticket.openedSecond < fromSecond && ticket.resolvedSecond < fromSecond) continue;
      const resolved = ticket.resolvedSecond <= lastSecond ? ticket.resolvedSecond : -1;
      const answered = resolved >= 0 && (churnSecond < 0 || resolved < churnSecond);
      sink.ticket(
        customer,
        ticket.openedSecond,
        resolved,
        ticket.category,
        answered ? ticket.satisfaction : 0,
      );
    }
  }
}
