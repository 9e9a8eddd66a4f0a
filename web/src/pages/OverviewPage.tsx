// Overview: at-risk customers by tier now and over time, the churn rate and model quality on the
// champion's test cutoff, churn rates as the business reports them, and the most common main reasons;
// filtered by period and segment.

import { lazy, Suspense, useMemo, useState } from 'react';
import type { ModelDetail, ModelVersion, TopReasons } from '../api/types';
import { useApiQuery, withQuery } from '../api/use-api-query';
import { useSegmentsQuery } from '../api/use-segments-query';
import { type Period, useTierCountsQuery } from '../api/use-tier-counts-query';
import { featureLabel } from '../i18n/feature-label';
import { useI18n } from '../i18n/i18n';
import { ChurnRatesPanel } from './ChurnRatesPanel';
import { Metric } from './Metric';
import { QueryStatus } from './QueryStatus';

const TierChart = lazy(() => import('../charts/TierChart').then((module) => ({ default: module.TierChart })));
const ReasonsChart = lazy(() =>
  import('../charts/ReasonsChart').then((module) => ({ default: module.ReasonsChart })),
);
const PERIODS: readonly Period[] = ['day', 'week', 'month'];

export function OverviewPage() {
  const i18n = useI18n();
  const { t, formatNumber, formatPercent, formatDate } = i18n;
  const [period, setPeriod] = useState<Period>('week');
  const [segment, setSegment] = useState('');
  const segments = useSegmentsQuery();
  const tiers = useTierCountsQuery(period, segment);
  const reasons = useApiQuery<TopReasons>(withQuery('/api/scores/reasons', { segment, limit: 10 }));
  const models = useApiQuery<{ models: ModelVersion[] }>('/api/models');
  const champion =
    models.status === 'done' ? models.data.models.find((m) => m.status === 'champion') : undefined;
  const detail = useApiQuery<ModelDetail>(champion ? `/api/models/${champion.version}` : null);
  const latest = tiers.status === 'done' ? tiers.points.at(-1) : undefined;
  const test =
    detail.status === 'done' ? detail.data.report.cutoffs?.find((c) => c.role === 'test') : undefined;
  const baseline = detail.status === 'done' ? detail.data.report.baseline : undefined;
  const reasonRows = useMemo(
    () =>
      reasons.status === 'done'
        ? reasons.data.reasons.map((row) => ({ ...row, label: featureLabel(i18n, row.feature) }))
        : [],
    [reasons, i18n],
  );
  const figure = (value: number | null | undefined) =>
    value === null || value === undefined ? '—' : formatNumber(value, { maximumFractionDigits: 3 });

  return (
    <section className="page" data-page="overview">
      <h1>{t('overview.title')}</h1>
      <div className="filters">
        <label>
          {t('overview.period')}
          <select name="period" value={period} onChange={(event) => setPeriod(event.target.value as Period)}>
            {PERIODS.map((option) => (
              <option key={option} value={option}>
                {t(`overview.period.${option}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('filter.segment')}
          <select name="segment" value={segment} onChange={(event) => setSegment(event.target.value)}>
            <option value="">{t('filter.all')}</option>
            {segments.map((option) => (
              <option key={option} value={option}>
                {i18n.label('segment', option)}
              </option>
            ))}
          </select>
        </label>
      </div>

      <div className="metrics">
        <Metric
          name="atRisk"
          label={t('overview.atRiskNow')}
          value={latest ? formatNumber(latest.high + latest.medium) : '—'}
          note={
            latest
              ? t('overview.ofScored', { count: formatNumber(latest.high + latest.medium + latest.low) })
              : undefined
          }
        />
        <Metric
          name="high"
          label={t('tier.high')}
          value={latest ? formatNumber(latest.high) : '—'}
          note={latest ? formatDate(latest.period, { dateStyle: 'medium' }) : undefined}
        />
        <Metric
          name="churnRate"
          label={t('overview.churnRate')}
          value={test ? formatPercent(test.positive_rate) : '—'}
          note={
            test
              ? t('overview.churnRateNote', {
                  churned: formatNumber(test.positives),
                  customers: formatNumber(test.customers),
                  cutoff: formatDate(test.cutoff),
                })
              : undefined
          }
        />
        <Metric
          name="rocAuc"
          label={t('overview.rocAuc')}
          value={figure(champion?.metrics.rocAuc)}
          note={t('overview.vsBaseline', { value: figure(baseline?.roc_auc) })}
        />
        <Metric
          name="prAuc"
          label={t('overview.prAuc')}
          value={figure(champion?.metrics.prAuc)}
          note={t('overview.vsBaseline', { value: figure(baseline?.pr_auc) })}
        />
      </div>

      <div className="panel">
        <div className="panel-head">
          <h2>{t('overview.tiersTitle')}</h2>
        </div>
        {tiers.status === 'loading' && <p>{t('page.loading')}</p>}
        {tiers.status === 'error' && (
          <p className="form-error">{t('error.generic', { message: tiers.error.message })}</p>
        )}
        {tiers.status === 'unavailable' && (
          <p className="empty-state" data-empty="tiers">
            {t('overview.noTierData')}
          </p>
        )}
        {tiers.status === 'done' && tiers.points.length === 0 && (
          <p className="empty-state" data-empty="tiers">
            {t('overview.emptyTierData')}
          </p>
        )}
        {tiers.status === 'done' && tiers.points.length > 0 && (
          <>
            {latest && (
              <p className="muted">
                {t('overview.totalNow', { count: formatNumber(latest.high + latest.medium + latest.low) })}
              </p>
            )}
            <Suspense fallback={<p>{t('page.loading')}</p>}>
              <TierChart points={tiers.points} period={period} />
            </Suspense>
          </>
        )}
      </div>

      <ChurnRatesPanel segment={segment} />

      <div className="panel">
        <div className="panel-head">
          <h2>{t('overview.reasonsTitle')}</h2>
          {reasons.status === 'done' && (
            <span className="muted">
              {t('overview.reasonsNote', { count: formatNumber(reasons.data.customers) })}
            </span>
          )}
        </div>
        <QueryStatus query={reasons} />
        {reasons.status === 'done' && reasonRows.length === 0 && (
          <p className="empty-state" data-empty="reasons">
            {t('overview.emptyReasons')}
          </p>
        )}
        {reasonRows.length > 0 && (
          <Suspense fallback={<p>{t('page.loading')}</p>}>
            <ReasonsChart rows={reasonRows} />
          </Suspense>
        )}
      </div>
    </section>
  );
}
