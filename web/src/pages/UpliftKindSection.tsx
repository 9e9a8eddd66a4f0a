// One action kind's uplift model: its name and whether it has a model; without one, the server's reason (in
// English, as sent) and the measured members; with one, UpliftTrainedModel.

import type { UpliftCounts, UpliftKindReport } from '../api/retention-types';
import { type I18n, useI18n } from '../i18n/i18n';
import { UpliftTrainedModel } from './UpliftTrainedModel';

export function UpliftKindSection({ report }: { report: UpliftKindReport }) {
  const i18n = useI18n();
  const { t, label } = i18n;
  const kind = label('action', report.actionKind);
  return (
    <section className="uplift-kind" data-kind={report.actionKind} data-status={report.status}>
      <h3>
        {kind}
        <span className={`uplift-status uplift-${report.status}`}>{t(`uplift.status.${report.status}`)}</span>
      </h3>
      {report.status === 'skipped' ? (
        <>
          <p data-field="reason">
            {t('uplift.why')} <span lang="en">{report.reason}</span>
          </p>
          <p className="muted" data-field="counts">
            {countsText(i18n, report.counts)}
          </p>
        </>
      ) : (
        <UpliftTrainedModel report={report} kind={kind} counts={countsText(i18n, report.counts)} />
      )}
    </section>
  );
}

/** "Measured members: 503 treated (10 churned), 504 control (13 churned)." in the chosen language. */
function countsText(i18n: I18n, counts: UpliftCounts): string {
  const n = (value: number) => i18n.formatNumber(value);
  return i18n.t('uplift.counts', {
    treated: n(counts.treated),
    treatedChurned: n(counts.treatedChurned),
    control: n(counts.control),
    controlChurned: n(counts.controlChurned),
  });
}
