// The tier, segment and reason filters the at-risk list and the alerts inbox share, with the choices they load.

import { TIERS, type Tier, type TopReasons } from '../api/types';
import { useApiQuery } from '../api/use-api-query';
import { useSegmentsQuery } from '../api/use-segments-query';
import { featureLabel } from '../i18n/feature-label';
import { useI18n } from '../i18n/i18n';
import { ChoiceFilter } from './ChoiceFilter';

/** What the three filters set. */
export interface RiskFilterValues {
  tier: Tier | '';
  segment: string;
  reason: string;
}

/** Three selects: tier, segment (from /api/segments) and reason (the reasons found across all tiers). */
export function RiskFilters({
  values,
  onChange,
}: {
  values: RiskFilterValues;
  onChange: (patch: Partial<RiskFilterValues>) => void;
}) {
  const i18n = useI18n();
  const { t, label } = i18n;
  const segments = useSegmentsQuery();
  const reasons = useApiQuery<TopReasons>('/api/scores/reasons?tier=high,medium,low&limit=100');
  return (
    <>
      <ChoiceFilter
        name="tier"
        title={t('filter.tier')}
        value={values.tier}
        choices={TIERS}
        describe={(tier) => label('tier', tier)}
        onChange={(tier) => onChange({ tier })}
      />
      <ChoiceFilter
        name="segment"
        title={t('filter.segment')}
        value={values.segment}
        choices={segments}
        describe={(segment) => label('segment', segment)}
        onChange={(segment) => onChange({ segment })}
      />
      <ChoiceFilter
        name="reason"
        title={t('filter.reason')}
        value={values.reason}
        choices={reasons.status === 'done' ? reasons.data.reasons.map((reason) => reason.feature) : []}
        describe={(feature) => featureLabel(i18n, feature)}
        onChange={(reason) => onChange({ reason })}
      />
    </>
  );
}
