// A campaign's results: until the churn horizon after its start has passed in the data, when it becomes
// measurable (and, for data:ingest in the demo, playing the following months); then the measured effect.

import { useCallback, useState } from 'react';
import type { Me } from '../api/auth';
import { useCampaignResultsQuery } from '../api/use-campaign-results-query';
import { useI18n } from '../i18n/i18n';
import { MeasuredResults } from './MeasuredResults';
import { PlayControl } from './PlayControl';
import { QueryStatus } from './QueryStatus';

export function CampaignResultsPanel({
  campaignId,
  me,
  strategyName,
}: {
  campaignId: string;
  me: Me;
  strategyName: (id: string) => string;
}) {
  const { t, formatDate, formatNumber } = useI18n();
  const [version, setVersion] = useState(0);
  const results = useCampaignResultsQuery(campaignId, version);
  const canPlay = me.permissions.includes('data:ingest');
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const day = (date: string) => formatDate(`${date}T00:00:00Z`, { dateStyle: 'long', timeZone: 'UTC' });

  return (
    <div className="panel" data-panel="results">
      <div className="panel-head">
        <h2>{t('results.title')}</h2>
        {results.status === 'done' && (
          <span className="muted">
            {t('results.window', {
              start: day(results.data.measurement.startsOn),
              days: results.data.measurement.horizonDays,
            })}
          </span>
        )}
      </div>
      {/* While a play reloads the results, the old ones stay until the new ones arrive. */}
      {results.status !== 'done' && <QueryStatus query={results} />}
      {results.status === 'done' && results.data.measurement.status === 'not_yet_measurable' && (
        <div className="not-measurable" data-status="not-measurable">
          <p className="empty-state">
            {t('results.notYet', { date: day(results.data.measurement.measurableOn) })}
            <br />
            {t('results.groups', {
              treated: formatNumber(results.data.measurement.treated),
              control: formatNumber(results.data.measurement.control),
            })}
          </p>
          {canPlay && <PlayControl onPlayed={reload} />}
        </div>
      )}
      {results.status === 'done' && results.data.measurement.status === 'measured' && (
        <MeasuredResults
          measurement={results.data.measurement}
          truth={results.data.truth}
          strategyName={strategyName}
        />
      )}
    </div>
  );
}
