// The uplift models on the Campaigns page (every role): per action kind, whether a model learnt from measured
// campaigns exists — if not, why — and how well it ranks members it was not fitted on. Ranking a campaign
// "by uplift model" uses these; before any campaign is measured, an empty state says when they appear.

import { useUpliftQuery } from '../api/use-uplift-query';
import { useI18n } from '../i18n/i18n';
import { QueryStatus } from './QueryStatus';
import { UpliftKindSection } from './UpliftKindSection';

export function UpliftPanel() {
  const { t, formatNumber, formatDate } = useI18n();
  const uplift = useUpliftQuery();
  return (
    <div className="panel uplift" data-panel="uplift">
      <div className="panel-head">
        <h2>{t('uplift.title')}</h2>
        {uplift.status === 'done' && uplift.data.kinds.length > 0 && (
          <span className="muted" data-status="uplift-members">
            {t('uplift.members', { count: formatNumber(uplift.data.members) })}
            {uplift.data.scoredAt !== null &&
              ` · ${t('uplift.scoredAt', {
                date: formatDate(`${uplift.data.scoredAt}T00:00:00Z`, { dateStyle: 'long', timeZone: 'UTC' }),
              })}`}
          </span>
        )}
      </div>
      <p className="muted">{t('uplift.explain')}</p>
      {uplift.status === 'loading' ? (
        // After new data the server first reads the campaign history, which can take a while.
        <p className="muted" data-status="uplift-loading">
          {t('uplift.loading')}
        </p>
      ) : (
        <QueryStatus query={uplift} />
      )}
      {uplift.status === 'done' &&
        (uplift.data.kinds.length === 0 ? (
          <p className="empty-state" data-status="uplift-empty">
            {t('uplift.empty')}
          </p>
        ) : (
          uplift.data.kinds.map((kind) => <UpliftKindSection key={kind.actionKind} report={kind} />)
        ))}
    </div>
  );
}
