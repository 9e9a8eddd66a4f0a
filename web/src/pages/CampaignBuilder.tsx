// The campaign builder (campaigns:run): name, mode (the best strategy per customer, or one assigned), the
// strategies, the target (tiers, segment, cause), the control share and the budget; Preview shows what it
// would be (writing nothing), Launch starts exactly the previewed campaign and opens it.

import { type FormEvent, useState } from 'react';
import { launchCampaign, previewCampaign } from '../api/campaign-actions';
import { CAUSE_TAGS, type CampaignPreview, type Strategy } from '../api/retention-types';
import { TIERS, type Tier } from '../api/types';
import { useSegmentsQuery } from '../api/use-segments-query';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../routing/router';
import { CampaignPreviewPanel } from './CampaignPreviewPanel';
import { CheckboxGroup } from './CheckboxGroup';
import { ChoiceFilter } from './ChoiceFilter';
import { type CampaignDraft, campaignErrorText, campaignRequest, NEW_CAMPAIGN } from './campaign-draft';

export function CampaignBuilder({ strategies }: { strategies: Strategy[] }) {
  const i18n = useI18n();
  const { t, label, locale } = i18n;
  const segments = useSegmentsQuery();
  const [draft, setDraft] = useState<CampaignDraft>(NEW_CAMPAIGN);
  const [preview, setPreview] = useState<CampaignPreview | null>(null);
  const [busy, setBusy] = useState<'preview' | 'launch' | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const change = (patch: Partial<CampaignDraft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    // What was previewed is no longer what would be launched.
    setPreview(null);
  };
  const strategyName = (id: string) => strategies.find((s) => s.id === id)?.name[locale] ?? id;

  const runPreview = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy('preview');
    setFailure(null);
    try {
      setPreview(await previewCampaign(campaignRequest(draft)));
    } catch (error) {
      setPreview(null);
      setFailure(campaignErrorText(i18n, error));
    } finally {
      setBusy(null);
    }
  };
  const launch = async () => {
    setBusy('launch');
    setFailure(null);
    try {
      const campaign = await launchCampaign(campaignRequest(draft, preview?.seed));
      navigate(`/campaigns/${encodeURIComponent(campaign.id)}`);
    } catch (error) {
      setFailure(campaignErrorText(i18n, error));
      setBusy(null);
    }
  };

  return (
    <form className="panel campaign-builder" data-panel="builder" noValidate onSubmit={runPreview}>
      <div className="panel-head">
        <h2>{t('campaigns.builderTitle')}</h2>
        <span className="muted">{t('campaigns.builderNote')}</span>
      </div>
      <div className="form-grid">
        <div className="form-row wide">
          <label>
            {t('campaigns.name')}
            <input
              name="name"
              value={draft.name}
              onChange={(event) => change({ name: event.target.value })}
            />
          </label>
        </div>
        <fieldset className="checkbox-group wide" data-group="mode">
          <legend>{t('campaigns.mode')}</legend>
          {(['match', 'assign'] as const).map((mode) => (
            <label key={mode} className="inline">
              <input
                type="radio"
                name="mode"
                value={mode}
                checked={draft.mode === mode}
                onChange={() =>
                  change({ mode, strategyIds: draft.strategyIds.slice(0, mode === 'assign' ? 1 : undefined) })
                }
              />
              {label('campaignMode', mode)}
            </label>
          ))}
        </fieldset>
        <fieldset className="checkbox-group wide" data-group="ranking">
          <legend>{t('campaigns.ranking')}</legend>
          {(['risk', 'uplift'] as const).map((ranking) => (
            <label key={ranking} className="inline">
              <input
                type="radio"
                name="ranking"
                value={ranking}
                checked={draft.ranking === ranking}
                onChange={() => change({ ranking })}
              />
              {t(`campaigns.ranking.${ranking}`)}
            </label>
          ))}
        </fieldset>
        <fieldset className="checkbox-group wide" data-group="strategies">
          <legend>
            {draft.mode === 'assign' ? t('campaigns.assignStrategy') : t('campaigns.matchStrategies')}
          </legend>
          {strategies.length === 0 && <span className="muted">{t('campaigns.noActiveStrategies')}</span>}
          {strategies.map((strategy) => (
            <label key={strategy.id} className="inline">
              <input
                type={draft.mode === 'assign' ? 'radio' : 'checkbox'}
                name="strategy"
                value={strategy.id}
                checked={draft.strategyIds.includes(strategy.id)}
                onChange={(event) =>
                  change({
                    strategyIds:
                      draft.mode === 'assign'
                        ? [strategy.id]
                        : event.target.checked
                          ? [...draft.strategyIds, strategy.id]
                          : draft.strategyIds.filter((id) => id !== strategy.id),
                  })
                }
              />
              {strategy.name[locale]}
            </label>
          ))}
        </fieldset>
        <div className="form-row wide">
          <CheckboxGroup<Tier>
            name="target-tiers"
            title={t('campaigns.targetTiers')}
            choices={TIERS}
            values={draft.tiers}
            describe={(tier) => label('tier', tier)}
            onChange={(tiers) => change({ tiers })}
          />
        </div>
        <div className="form-row">
          <ChoiceFilter
            name="segment"
            title={t('filter.segment')}
            value={draft.segment}
            choices={segments}
            describe={(segment) => label('segment', segment)}
            onChange={(segment) => change({ segment })}
          />
        </div>
        <div className="form-row">
          <ChoiceFilter
            name="reason"
            title={t('campaigns.targetCause')}
            value={draft.reason}
            choices={CAUSE_TAGS}
            describe={(tag) => label('cause', tag)}
            onChange={(reason) => change({ reason })}
          />
        </div>
        <div className="form-row">
          <label>
            {t('campaigns.controlShare')}
            <input
              name="controlShare"
              type="number"
              min={0}
              max={90}
              step="any"
              value={draft.controlShare}
              onChange={(event) => change({ controlShare: event.target.value })}
            />
          </label>
        </div>
        <div className="form-row">
          <label>
            {t('campaigns.budget')}
            <input
              name="budget"
              type="number"
              min={0}
              step="any"
              placeholder={t('campaigns.noLimit')}
              value={draft.budget}
              onChange={(event) => change({ budget: event.target.value })}
            />
          </label>
        </div>
      </div>
      {failure && (
        <p className="form-error" role="alert" data-status="campaign-error">
          {failure}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" data-action="preview" disabled={busy !== null}>
          {busy === 'preview' ? t('campaigns.previewing') : t('campaigns.preview')}
        </button>
        <button
          type="button"
          className="primary"
          data-action="launch"
          disabled={busy !== null || preview === null}
          title={preview === null ? t('campaigns.previewFirst') : undefined}
          onClick={launch}
        >
          {busy === 'launch' ? t('campaigns.launching') : t('campaigns.launch')}
        </button>
      </div>
      {preview && <CampaignPreviewPanel plan={preview} strategyName={strategyName} />}
    </form>
  );
}
