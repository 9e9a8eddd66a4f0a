// Customers: the at-risk list (latest scores with the profile: filters, sort, paging) and one customer's
// 360° view. Personal fields are masked by role; unmasked reads are audited.

import { z } from 'zod';
import { customerRecord } from '../../customer360/customer-view.js';
import { type CustomerSort, type ListCustomersParams, listCustomers } from '../../queries/list-customers.js';
import { HttpError } from '../http-error.js';
import { auditUnmaskedRead, hasPersonal, seesUnmasked, showPersonal } from '../personal-data.js';
import { defineRoute, signedIn } from '../route.js';

const TIER_LIST = /^(high|medium|low)(,(high|medium|low))*$/;

const reasonsSchema = z.object({ en: z.string(), 'zh-CN': z.string() });

const personalSchema = {
  name: z.string().nullable().meta({ description: 'masked (张**) unless the role may read unmasked' }),
  phone: z
    .string()
    .nullable()
    .meta({ description: 'masked (138****5678) unless the role may read unmasked' }),
  email: z
    .string()
    .nullable()
    .meta({ description: 'masked (z***@example.com) unless the role may read unmasked' }),
};

const customerRowSchema = z
  .object({
    id: z.string(),
    ...personalSchema,
    segment: z.string().nullable(),
    region: z.string().nullable(),
    plan: z.string().nullable(),
    probability: z.number(),
    tier: z.string(),
    reasons: reasonsSchema,
    drivers: z.array(z.string()).meta({ description: 'feature names of the main drivers, strongest first' }),
    value: z.number().meta({ description: 'spend in the 90 days before the score' }),
    scoredAt: z.string().meta({ format: 'date' }),
    modelVersion: z.number().int(),
  })
  .meta({ id: 'CustomerListRow' });

const listQuery = z
  .object({
    tier: z
      .string()
      .regex(TIER_LIST, 'expected high, medium or low, or several separated by commas')
      .optional(),
    segment: z.string().min(1).max(100).optional(),
    reason: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .meta({ description: 'a driver feature name, or a word of the reasons (en or zh-CN)' }),
    minProbability: z.coerce.number().min(0).max(1).optional(),
    maxProbability: z.coerce.number().min(0).max(1).optional(),
    search: z.string().trim().min(1).max(100).optional().meta({
      description: 'customer id prefix; for roles that read unmasked also part of name, phone or e-mail',
    }),
    sort: z.enum(['probability', 'value', 'id']).default('probability'),
    order: z.enum(['asc', 'desc']).optional().meta({ description: 'default desc, asc for sort=id' }),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
    cursor: z
      .string()
      .min(1)
      .max(1000)
      .optional()
      .meta({ description: 'the previous page’s nextCursor: the page after it (offset is then ignored)' }),
  })
  .strict()
  .refine(
    (q) =>
      q.minProbability === undefined ||
      q.maxProbability === undefined ||
      q.minProbability <= q.maxProbability,
    { message: 'maxProbability must be at least minProbability', path: ['maxProbability'] },
  );

const profileSchema = z.object({
  customerId: z.string(),
  signupAt: z.string(),
  segment: z.string().nullable(),
  region: z.string().nullable(),
  plan: z.string().nullable(),
  ...personalSchema,
});

const customerViewSchema = z
  .object({
    profile: profileSchema,
    personalMasked: z.boolean(),
    asOf: z.string().meta({ format: 'date' }),
    activity: z.array(
      z.object({
        kind: z.string(),
        last30: z.number(),
        last90: z.number(),
        amount90: z.number().nullable(),
        latest: z.string().nullable(),
      }),
    ),
    openTickets: z.number().int(),
    cancelledAt: z.string().nullable(),
    timeline: z.array(
      z.object({
        at: z.string(),
        kind: z.enum(['event', 'purchase', 'ticket', 'cancellation']),
        detail: z.string().meta({ description: 'the item in one line of English' }),
        facts: z
          .object({
            eventType: z.string().nullable(),
            amount: z.number().nullable(),
            product: z.string().nullable(),
            category: z.string().nullable(),
            resolved: z.boolean().nullable(),
            satisfaction: z.number().nullable(),
            reason: z.string().nullable(),
            voluntary: z.boolean().nullable(),
          })
          .meta({
            description: 'the item field by field (null where its kind has none), to write in any language',
          }),
      }),
    ),
    tickets: z
      .array(
        z.object({
          openedAt: z.string(),
          resolvedAt: z.string().nullable().meta({ description: 'null while the ticket is open' }),
          category: z.string().nullable(),
          satisfaction: z.number().nullable(),
        }),
      )
      .meta({ description: 'the customer’s tickets, newest first, at most 50' }),
    transactions: z
      .array(
        z.object({
          at: z.string(),
          amount: z.number(),
          product: z.string().nullable(),
          paymentMethod: z.string().nullable(),
        }),
      )
      .meta({ description: 'the latest 50 purchases, newest first' }),
    scores: z.array(
      z.object({
        scoredAt: z.string().meta({ format: 'date' }),
        modelVersion: z.number().int(),
        probability: z.number(),
        tier: z.string(),
        reasons: reasonsSchema,
      }),
    ),
  })
  .meta({ id: 'CustomerView' });

/** Where the next page starts: the last row's sort key and id, for the same sort and order. */
interface Cursor {
  sort: CustomerSort;
  order: 'asc' | 'desc';
  key: number | string;
  id: string;
}

export const customerRoutes = [
  defineRoute({
    id: 'listCustomers',
    method: 'GET',
    path: '/api/customers',
    access: 'customers:read',
    tag: 'customers',
    summary:
      'Scored customers with their latest score and profile: filter by tier (comma-separated), segment, ' +
      'reason, probability range and search; sort by probability, value or id; page with limit and offset ' +
      'or cursor. `total` counts every match.',
    query: listQuery,
    response: z.object({
      total: z.number().int(),
      limit: z.number().int(),
      offset: z.number().int(),
      nextCursor: z.string().nullable(),
      customers: z.array(customerRowSchema),
    }),
    handler: async ({ deps, query, principal, ip, now }) => {
      const who = signedIn(principal);
      const unmasked = seesUnmasked(who);
      const order = query.order ?? (query.sort === 'id' ? 'asc' : 'desc');
      const after = query.cursor === undefined ? undefined : readCursor(query.cursor, query.sort, order);
      const params: ListCustomersParams = {
        tiers: query.tier?.split(','),
        segment: query.segment,
        reason: query.reason,
        minProbability: query.minProbability,
        maxProbability: query.maxProbability,
        search: query.search,
        searchPersonal: unmasked,
        sort: query.sort,
        order,
        limit: query.limit,
        offset: query.offset,
        after,
      };
      const page = await listCustomers(deps.warehouse, params);
      if (unmasked) {
        const shown = page.rows.filter(hasPersonal).map((row) => row.id);
        await auditUnmaskedRead(deps.warehouse, now, who, ip, 'customers.list-unmasked', shown);
      }
      const last = page.rows.at(-1);
      const nextCursor =
        last && page.rows.length === query.limit
          ? writeCursor({ sort: query.sort, order, key: sortKey(last, query.sort), id: last.id })
          : null;
      return {
        total: page.total,
        limit: query.limit,
        offset: after ? 0 : query.offset,
        nextCursor,
        customers: page.rows.map((row) => showPersonal(row, unmasked)),
      };
    },
  }),
  defineRoute({
    id: 'getCustomer',
    method: 'GET',
    path: '/api/customers/:customerId',
    access: 'customers:read',
    tag: 'customers',
    summary:
      'One customer’s 360° view: profile (personal fields masked by role), activity in the last 30/90 days, ' +
      'timeline, tickets and transactions (newest first, at most 50 each), open tickets, cancellation, and ' +
      'score history with reasons. Unmasked reads are audited.',
    response: customerViewSchema,
    handler: async ({ deps, params, principal, ip, now }) => {
      const who = signedIn(principal);
      const id = params.customerId;
      // The view may come from the cache; the audit below is written for every unmasked answer all the same.
      const record = await customerRecord(deps.warehouse, id);
      if (!record) {
        throw new HttpError(404, 'customer_not_found', `no customer with id "${id}"`, 'path customerId');
      }
      const { view, personal } = record;
      const unmasked = seesUnmasked(who);
      if (unmasked && hasPersonal(personal)) {
        await auditUnmaskedRead(deps.warehouse, now, who, ip, 'customer.read-unmasked', [id]);
      }
      return {
        ...view,
        profile: { ...view.profile, ...showPersonal(personal, unmasked) },
        personalMasked: !unmasked,
      };
    },
  }),
];

function sortKey(
  row: { probability: number; value: number; id: string },
  sort: CustomerSort,
): number | string {
  return sort === 'probability' ? row.probability : sort === 'value' ? row.value : row.id;
}

function writeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** The cursor sent back; 400 naming query.cursor when it is not one of ours or was made for another sort. */
function readCursor(text: string, sort: CustomerSort, order: 'asc' | 'desc'): Cursor {
  let cursor: Partial<Cursor>;
  try {
    cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
  } catch {
    throw badCursor('not a cursor this API gave');
  }
  if (typeof cursor !== 'object' || cursor === null || typeof cursor.id !== 'string') {
    throw badCursor('not a cursor this API gave');
  }
  const keyOk = sort === 'id' ? typeof cursor.key === 'string' : typeof cursor.key === 'number';
  if (!keyOk) throw badCursor('not a cursor this API gave');
  if (cursor.sort !== sort || cursor.order !== order) {
    throw badCursor(`the cursor was made for sort=${cursor.sort}&order=${cursor.order}; send the same sort`);
  }
  return cursor as Cursor;
}

function badCursor(message: string): HttpError {
  return new HttpError(400, 'invalid_query', message, 'query.cursor');
}
