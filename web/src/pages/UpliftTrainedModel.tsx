// An action kind with an uplift model: which estimate is served (worded for managers), how many members it
// was judged on, both estimates' figures side by side, and their Qini curves against random targeting.

import { useMemo } from 'react';
import type { UpliftEstimator, UpliftKindReport } from '../api/retention-types';
import { QiniChart, type QiniLine } from '../charts/QiniChart';
import { useI18n } from '../i18n/i18n';
import { UpliftEstimatorTable } from './UpliftEstimatorTable';

type Trained = Extract<UpliftKindReport, { status: 'trained' }>;

/** The share of resamples the two-model estimate must win to be served (CHALLENGER_WIN_SHARE on the server). */
const CHALLENGER_WIN_SHARE = 0.95;

/** Each estimator's line colour in the Qini chart. */
const ESTIMATOR_COLOURS: Record<UpliftEstimator, string> = {
  cause_mix: '#1f5fbf',
  t_learner: '#c8372d',
};

export function UpliftTrainedModel({
  report,
  kind,
  counts,
}: {
  report: Trained;
  kind: string;
  counts: string;
}) {
  const { t, label, formatNumber, formatPercent } = useI18n();
  const lines = useMemo<QiniLine[]>(
    () =>
      report.estimators.map((entry) => ({
        name: label('uplift.estimator', entry.estimator),
        colour: ESTIMATOR_COLOURS[entry.estimator],
        qini: entry.qini,
      })),
    [report.estimators, label],
  );
  return (
    <>
      <p data-field="served" data-estimator={report.estimator}>
        {t(`uplift.served.${report.estimator}`)}
      </p>
      <p className="muted" data-field="judged">
        {t('uplift.judged', { count: formatNumber(report.heldOut) })} {counts}
      </p>
      <UpliftEstimatorTable report={report} />
      <p className="muted note">
        {t('uplift.tableNote')}{' '}
        {t('uplift.challengerRule', { share: formatPercent(CHALLENGER_WIN_SHARE, 0) })}
      </p>
      <QiniChart
        name="qini"
        label={t('uplift.chartLabel', { kind })}
        lines={lines}
        randomName={t('uplift.random')}
        xName={t('uplift.xAxis')}
        yName={t('uplift.yAxis')}
      />
    </>
  );
}
