// Both uplift estimates of an action kind side by side, judged on the same members: Qini coefficient, churn
// lowered among the top 10/20/30% in percentage points, and how often each beats the churn-cause baseline.

import type { UpliftKindReport } from '../api/retention-types';
import { useI18n } from '../i18n/i18n';
import { formatPoints, formatShare } from './retention-format';

type Trained = Extract<UpliftKindReport, { status: 'trained' }>;

export function UpliftEstimatorTable({ report }: { report: Trained }) {
  const i18n = useI18n();
  const { t, label, formatNumber, formatPercent } = i18n;
  const fractions = report.estimators[0]?.upliftAtK.map((entry) => entry.fraction) ?? [];
  return (
    <div className="table-wrap">
      <table className="data-table wrap-head" data-table="uplift-estimators">
        <thead>
          <tr>
            <th>{t('uplift.estimatorColumn')}</th>
            <th className="num">{t('uplift.qini')}</th>
            {fractions.map((fraction) => (
              <th key={fraction} className="num">
                {t('uplift.atK', { share: formatPercent(fraction, 0) })}
              </th>
            ))}
            <th className="num">{t('uplift.winShare')}</th>
          </tr>
        </thead>
        <tbody>
          {report.estimators.map((row) => {
            const served = row.estimator === report.estimator;
            return (
              <tr key={row.estimator} data-estimator={row.estimator} data-served={served}>
                <th scope="row">
                  {label('uplift.estimator', row.estimator)}
                  {served && <span className="tag">{t('uplift.inUse')}</span>}
                </th>
                <td className="num" data-field="qini">
                  {formatNumber(row.qini.coefficient, {
                    minimumFractionDigits: 4,
                    maximumFractionDigits: 4,
                    signDisplay: 'exceptZero',
                  })}
                </td>
                {fractions.map((fraction) => {
                  const uplift = row.upliftAtK.find((entry) => entry.fraction === fraction)?.uplift ?? null;
                  return (
                    <td key={fraction} className="num" data-field={`uplift-${Math.round(fraction * 100)}`}>
                      {uplift === null ? '—' : formatPoints(i18n, uplift)}
                    </td>
                  );
                })}
                <td className="num" data-field="win-share">
                  {row.winShare === null ? t('uplift.baseline') : formatShare(i18n, row.winShare, 0)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
