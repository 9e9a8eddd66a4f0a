// Churn as businesses report it (R20): customer churn per month and annualised, revenue churn and net revenue
// retention, cohort retention curves — all by the workspace's churn definition, optionally of one segment.

import { z } from 'zod';
import { churnDefinitionFromConfig } from '../../labels/churn-definition.js';
import { getCohortRetention } from '../../monitor/cohort-retention.js';
import { getCustomerChurn } from '../../monitor/customer-churn.js';
import { getRevenueRetention } from '../../monitor/revenue-retention.js';
import { HttpError } from '../http-error.js';
import { defineRoute } from '../route.js';
import { appendConfig } from '../workspace-config.js';

const share = z.number().nullable();
const date = (description: string) => z.string().meta({ format: 'date', description });

const churnRatesSchema = z
  .object({
    definition: z.object({
      kind: z.enum(['contractual', 'nonContractual', 'partial']),
      horizonDays: z.number().int(),
    }),
    customerChurn: z.object({
      months: z.array(
        z.object({
          month: date('the first day of the month'),
          customersAtStart: z.number().int(),
          lost: z.number().int().nullable().meta({ description: 'null until the month is final' }),
          newCustomers: z.number().int(),
          rate: share,
          annualised: share,
        }),
      ),
      trailingMonthlyRate: share,
      trailingAnnualised: share,
      trailingMonths: z.number().int(),
    }),
    revenueRetention: z.array(
      z.object({
        month: date('the first day of the month'),
        revenue: z.number(),
        baseRevenue: z.number(),
        lostRevenue: z.number(),
        revenueChurn: share,
        grossRevenueRetention: share,
        netRevenueRetention: share,
        annualNetRevenueRetention: share,
      }),
    ),
    cohorts: z.array(
      z.object({
        cohort: date('the signup month'),
        customers: z.number().int(),
        retained: z.array(z.number()).meta({ description: 'share not lost at the end of month k' }),
      }),
    ),
  })
  .meta({ id: 'ChurnRates' });

export const metricRoutes = [
  defineRoute({
    id: 'churnRates',
    method: 'GET',
    path: '/api/metrics/churn',
    access: 'scores:read',
    tag: 'scores',
    summary:
      'Customer churn per month (lost during the month over customers at its start) and annualised, revenue ' +
      'churn and net revenue retention per month (and against a year before), and the retention curves of ' +
      'the newest signup cohorts, by the churn definition in churnwatch.yaml (without one: no activity for 90 ' +
      'days). Months are reported once final.',
    query: z.object({ segment: z.string().min(1).max(100).optional() }).strict(),
    response: churnRatesSchema,
    handler: async ({ deps, query }) => {
      let definition: ReturnType<typeof churnDefinitionFromConfig>;
      try {
        definition = churnDefinitionFromConfig(appendConfig(deps.workspace).churn);
      } catch (error) {
        throw new HttpError(409, 'no_churn_definition', (error as Error).message, 'churnwatch.yaml');
      }
      const options = query.segment === undefined ? {} : { segment: query.segment };
      return {
        definition: { kind: definition.kind, horizonDays: definition.horizonDays },
        customerChurn: await getCustomerChurn(deps.warehouse, definition, options),
        revenueRetention: await getRevenueRetention(deps.warehouse, definition, options),
        cohorts: await getCohortRetention(deps.warehouse, definition, options),
      };
    },
  }),
];
