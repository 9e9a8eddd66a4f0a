// Churn as the business reports it (R20): monthly customer churn and its annualised pace, revenue churn and
// net revenue retention, and the retention curves of the newest signup cohorts; of one segment or all.

import { lazy, Suspense, useMemo } from 'react';
import type { ChurnRates } from '../api/types';
import { useApiQuery, withQuery } from '../api/use-api-query';
import { useI18n } from '../i18n/i18n';
import { Metric } from './Metric';
import { QueryStatus } from './QueryStatus';

const RateChart = lazy(() => import('../charts/RateChart').then((module) => ({ default: module.RateChart })));

/** Newest cohorts drawn: more lines than this cannot be told apart. */
const COHORT_LINES = 6;

export function ChurnRatesPanel({ segment }: { segment: string }) {
  const { t, formatPercent, formatDate, formatNumber } = useI18n();
  const query = useApiQuery<ChurnRates>(withQuery('/api/metrics/churn', { segment }));
  const data = query.status === 'done' ? query.data : undefined;
  const charts = useMemo(() => {
    if (!data) return null;
    const month = (value: string) => formatDate(value, { year: 'numeric', month: 'short' });
    const churnMonths = data.customerChurn.months.filter((m) => m.customersAtStart > 0);
    const revenue = data.revenueRetention.filter((m) => m.baseRevenue > 0);
    const cohorts = data.cohorts.slice(-COHORT_LINES);
    const longest = Math.max(0, ...cohorts.map((c) => c.retained.length));
    return {
      churn: {
        categories: churnMonths.map((m) => month(m.month)),
        series: [{ name: t('churn.monthlyRate'), values: churnMonths.map((m) => m.rate), colour: '#c8372d' }],
      },
      revenue: {
        categories: revenue.map((m) => month(m.month)),
        series: [
          { name: t('churn.nrr'), values: revenue.map((m) => m.netRevenueRetention), colour: '#2f6db5' },
          { name: t('churn.grr'), values: revenue.map((m) => m.grossRevenueRetention), colour: '#3b8c5a' },
          { name: t('churn.revenueChurn'), values: revenue.map((m) => m.revenueChurn), colour: '#c8372d' },
        ],
      },
      cohorts: {
        categories: Array.from({ length: longest }, (_, k) => formatNumber(k)),
        series: cohorts.map((c) => ({
          name: `${month(c.cohort)} (${formatNumber(c.customers)})`,
          values: Array.from({ length: longest }, (_, k) => c.retained[k] ?? null),
        })),
      },
    };
  }, [data, t, formatDate, formatNumber]);
  const latestRevenue = data?.revenueRetention.findLast((m) => m.netRevenueRetention !== null);
  const share = (value: number | null | undefined) =>
    value === null || value === undefined ? '—' : formatPercent(value);

  return (
    <div className="panel" data-panel="churn-rates">
      <div className="panel-head">
        <h2>{t('churn.title')}</h2>
        {data && (
          <span className="muted">
            {t(`churn.definition.${data.definition.kind}`, {
              days: formatNumber(data.definition.horizonDays),
            })}
          </span>
        )}
      </div>
      <QueryStatus query={query} />
      {data && charts && (
        <>
          <div className="metrics">
            <Metric
              name="monthlyChurn"
              label={t('churn.monthlyRate')}
              value={share(data.customerChurn.trailingMonthlyRate)}
              note={t('churn.trailingNote', { months: formatNumber(data.customerChurn.trailingMonths) })}
            />
            <Metric
              name="annualChurn"
              label={t('churn.annualised')}
              value={share(data.customerChurn.trailingAnnualised)}
              note={t('churn.annualisedNote')}
            />
            <Metric
              name="nrr"
              label={t('churn.nrr')}
              value={share(latestRevenue?.netRevenueRetention)}
              note={
                latestRevenue
                  ? t('churn.nrrNote', {
                      month: formatDate(latestRevenue.month, { year: 'numeric', month: 'short' }),
                      annual: share(latestRevenue.annualNetRevenueRetention),
                    })
                  : undefined
              }
            />
          </div>
          {charts.churn.categories.length === 0 ? (
            <p className="empty-state" data-empty="churn">
              {t('churn.empty')}
            </p>
          ) : (
            <Suspense fallback={<p>{t('page.loading')}</p>}>
              <div className="grid-2">
                <div>
                  <h3>{t('churn.monthlyTitle')}</h3>
                  <RateChart name="monthly-churn" label={t('churn.monthlyTitle')} {...charts.churn} />
                </div>
                <div>
                  <h3>{t('churn.revenueTitle')}</h3>
                  <RateChart name="revenue-retention" label={t('churn.revenueTitle')} {...charts.revenue} />
                </div>
                <div className="span-2">
                  <h3>{t('churn.cohortsTitle')}</h3>
                  <RateChart
                    name="cohorts"
                    label={t('churn.cohortsTitle')}
                    xName={t('churn.monthsSinceSignup')}
                    {...charts.cohorts}
                  />
                </div>
              </div>
            </Suspense>
          )}
        </>
      )}
    </div>
  );
}
