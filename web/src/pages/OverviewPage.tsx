// Overview: at-risk customers by tier over time (GET /api/scores/tiers), per day, week or month.

import { lazy, Suspense, useEffect, useState } from 'react';
import { useMeQuery } from '../api/use-me-query';
import { type Period, useTierCountsQuery } from '../api/use-tier-counts-query';
import { useI18n } from '../i18n/i18n';

// ECharts loads with the chart, not with the login page.
const TierChart = lazy(() => import('../charts/TierChart').then((module) => ({ default: module.TierChart })));
const PERIODS: readonly Period[] = ['day', 'week', 'month'];

export function OverviewPage({ onSignedOut }: { onSignedOut: () => void }) {
  const { t, formatNumber } = useI18n();
  const me = useMeQuery();
  const [period, setPeriod] = useState<Period>('week');
  const tiers = useTierCountsQuery(period);
  const signedOut = me.status === 'done' && me.me === null;
  useEffect(() => {
    if (signedOut) onSignedOut();
  }, [signedOut, onSignedOut]);
  const latest = tiers.status === 'done' ? tiers.points.at(-1) : undefined;

  return (
    <section className="page" data-page="overview">
      <h1>{t('overview.title')}</h1>
      <div className="panel">
        <div className="panel-head">
          <h2>{t('overview.tiersTitle')}</h2>
          <label className="inline">
            {t('overview.period')}
            <select value={period} onChange={(event) => setPeriod(event.target.value as Period)}>
              {PERIODS.map((option) => (
                <option key={option} value={option}>
                  {t(`overview.period.${option}`)}
                </option>
              ))}
            </select>
          </label>
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
    </section>
  );
}
