// The edit form of one strategy (strategies:edit): names in both languages, conditions (tiers, segments,
// cause tags, value range), action, channel, unit cost, prior save rate, parameters, budget and priority.
// The server validates; its error is shown next to the field its `where` names.

import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client';
import { ACTION_KINDS, CAUSE_TAGS, CHANNELS, type Strategy } from '../api/retention-types';
import { editStrategy } from '../api/strategy-actions';
import { TIERS } from '../api/types';
import { useSegmentsQuery } from '../api/use-segments-query';
import { useI18n } from '../i18n/i18n';
import { CheckboxGroup } from './CheckboxGroup';
import { FormRow } from './FormRow';
import { draftOf, type FormField, fieldAt, fieldsOf, type StrategyDraft } from './strategy-form';

export function StrategyForm({
  strategy,
  onSaved,
  onCancel,
}: {
  strategy: Strategy;
  onSaved: (strategy: Strategy) => void;
  onCancel: () => void;
}) {
  const { t, label, locale } = useI18n();
  const segments = useSegmentsQuery();
  const [draft, setDraft] = useState<StrategyDraft>(() => draftOf(strategy));
  const [errors, setErrors] = useState<Partial<Record<FormField, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const change = (patch: Partial<StrategyDraft>) => setDraft((current) => ({ ...current, ...patch }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    setFailure(null);
    const checked = fieldsOf(draft);
    if (!('fields' in checked)) {
      setErrors({ [checked.field]: t(`strategies.form.${checked.problem}`) });
      return;
    }
    setSaving(true);
    try {
      onSaved(await editStrategy(strategy.id, checked.fields));
    } catch (error) {
      const field = error instanceof ApiError ? fieldAt(error.where) : null;
      const message = error instanceof Error ? error.message : String(error);
      if (field) setErrors({ [field]: message });
      else setFailure(t('error.generic', { message }));
    } finally {
      setSaving(false);
    }
  };

  const text = (
    field: FormField,
    title: string,
    value: string,
    set: (value: string) => void,
    type = 'text',
  ) => (
    <FormRow field={field} error={errors[field]}>
      <label>
        {title}
        <input
          name={field}
          type={type}
          step="any"
          value={value}
          lang={field === 'name.zh-CN' ? 'zh-CN' : undefined}
          onChange={(event) => set(event.target.value)}
        />
      </label>
    </FormRow>
  );

  return (
    <form
      className="panel strategy-form"
      data-panel="strategy-form"
      data-strategy={strategy.id}
      noValidate
      onSubmit={submit}
    >
      <div className="panel-head">
        <h2>{t('strategies.editTitle', { name: strategy.name[locale] })}</h2>
        <span className="muted">{t('strategies.version', { version: strategy.version })}</span>
      </div>
      <div className="form-grid">
        {text('name.en', t('strategies.form.nameEn'), draft.nameEn, (nameEn) => change({ nameEn }))}
        {text('name.zh-CN', t('strategies.form.nameZh'), draft.nameZh, (nameZh) => change({ nameZh }))}
        <FormRow field="conditions.tiers" error={errors['conditions.tiers']} wide>
          <CheckboxGroup
            name="tiers"
            title={t('strategies.form.tiers')}
            choices={TIERS}
            values={draft.tiers}
            describe={(tier) => label('tier', tier)}
            onChange={(tiers) => change({ tiers })}
          />
        </FormRow>
        <FormRow field="conditions.segments" error={errors['conditions.segments']} wide>
          <CheckboxGroup
            name="segments"
            title={t('strategies.form.segments')}
            choices={[...new Set([...segments, ...draft.segments])]}
            values={draft.segments}
            describe={(segment) => label('segment', segment)}
            onChange={(chosen) => change({ segments: chosen })}
          />
        </FormRow>
        <FormRow field="conditions.causes" error={errors['conditions.causes']} wide>
          <CheckboxGroup
            name="causes"
            title={t('strategies.form.causes')}
            choices={CAUSE_TAGS}
            values={draft.causes}
            describe={(tag) => label('cause', tag)}
            onChange={(causes) => change({ causes })}
          />
        </FormRow>
        {text(
          'conditions.minValue',
          t('strategies.form.minValue'),
          draft.minValue,
          (minValue) => change({ minValue }),
          'number',
        )}
        {text(
          'conditions.maxValue',
          t('strategies.form.maxValue'),
          draft.maxValue,
          (maxValue) => change({ maxValue }),
          'number',
        )}
        <FormRow field="actionKind" error={errors.actionKind}>
          <label>
            {t('strategies.action')}
            <select
              name="actionKind"
              value={draft.actionKind}
              onChange={(event) => change({ actionKind: event.target.value as StrategyDraft['actionKind'] })}
            >
              {ACTION_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {label('action', kind)}
                </option>
              ))}
            </select>
          </label>
        </FormRow>
        <FormRow field="channel" error={errors.channel}>
          <label>
            {t('strategies.channel')}
            <select
              name="channel"
              value={draft.channel}
              onChange={(event) => change({ channel: event.target.value as StrategyDraft['channel'] })}
            >
              {CHANNELS.map((channel) => (
                <option key={channel} value={channel}>
                  {label('channel', channel)}
                </option>
              ))}
            </select>
          </label>
        </FormRow>
        {text(
          'unitCost',
          t('strategies.unitCost'),
          draft.unitCost,
          (unitCost) => change({ unitCost }),
          'number',
        )}
        {text(
          'savePrior',
          t('strategies.form.savePrior'),
          draft.savePrior,
          (savePrior) => change({ savePrior }),
          'number',
        )}
        {text('budget', t('strategies.form.budget'), draft.budget, (budget) => change({ budget }), 'number')}
        {text(
          'priority',
          t('strategies.form.priority'),
          draft.priority,
          (priority) => change({ priority }),
          'number',
        )}
        <FormRow field="parameters" error={errors.parameters} wide>
          <label>
            {t('strategies.form.parameters')}
            <textarea
              name="parameters"
              rows={3}
              value={draft.parameters}
              onChange={(event) => change({ parameters: event.target.value })}
            />
          </label>
          <span className="muted">{t('strategies.form.parametersHint')}</span>
        </FormRow>
      </div>
      {failure && (
        <p className="form-error" role="alert">
          {failure}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" data-action="save" disabled={saving}>
          {t('strategies.save')}
        </button>
        <button type="button" data-action="cancel" onClick={onCancel}>
          {t('strategies.cancel')}
        </button>
      </div>
    </form>
  );
}
