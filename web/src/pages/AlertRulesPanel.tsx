// The alert rules: what raises an alert, in words; admins and analysts (alerts:configure) edit them here and
// the server writes them into churnwatch.yaml. A refused save shows the server's message on the rule at fault.

import { useState } from 'react';
import {
  type AlertRule,
  type AlertRules,
  RULE_KINDS,
  type RuleTier,
  saveAlertRules,
} from '../api/alert-rules';
import { ApiError } from '../api/client';
import { useApiQuery } from '../api/use-api-query';
import { useI18n } from '../i18n/i18n';
import { emptyDraft, fromDraft, type RuleDraft, toDraft } from './alert-rule-draft';
import { CheckboxGroup } from './CheckboxGroup';
import { QueryStatus } from './QueryStatus';

const TIERS: readonly RuleTier[] = ['high', 'medium', 'low'];

export function AlertRulesPanel({ canEdit }: { canEdit: boolean }) {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const query = useApiQuery<AlertRules>('/api/alerts/rules', version);
  const [drafts, setDrafts] = useState<RuleDraft[] | null>(null);
  const [failure, setFailure] = useState<{ row: number | null; message: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  const edit = (index: number, patch: Partial<RuleDraft>) =>
    setDrafts(
      (current) => current?.map((draft, i) => (i === index ? { ...draft, ...patch } : draft)) ?? null,
    );
  const save = async () => {
    if (!drafts) return;
    setSaving(true);
    setFailure(null);
    try {
      await saveAlertRules(drafts.map(fromDraft));
      setDrafts(null);
      setSaved(true);
      setVersion((v) => v + 1);
    } catch (error) {
      const where = error instanceof ApiError ? error.where : null;
      const row = where ? /rules\[(\d+)\]/.exec(where)?.[1] : undefined;
      setFailure({
        row: row === undefined ? null : Number(row),
        message: error instanceof Error ? error.message : String(error),
      });
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="panel" data-panel="alert-rules">
      <div className="panel-head">
        <h2>{t('alertRules.title')}</h2>
        {query.status === 'done' && query.data.defaults && (
          <span className="muted">{t('alertRules.defaults')}</span>
        )}
      </div>
      <p className="muted">{t('alertRules.note')}</p>
      <QueryStatus query={query} />
      {saved && !drafts && (
        <p className="muted" role="status" data-status="rules-saved">
          {t('alertRules.saved')}
        </p>
      )}
      {query.status === 'done' && !drafts && (
        <>
          <RuleList rules={query.data.rules} />
          {canEdit && (
            <button
              type="button"
              data-action="edit-rules"
              onClick={() => {
                setSaved(false);
                setDrafts(query.data.rules.map(toDraft));
              }}
            >
              {t('alertRules.edit')}
            </button>
          )}
        </>
      )}
      {drafts && (
        <form
          className="rule-editor"
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          {drafts.map((draft, index) => (
            <RuleEditor
              // Rules have no id but their place; a removed rule shifts the rest, which is what the file does.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              key={index}
              index={index}
              draft={draft}
              error={failure?.row === index ? failure.message : null}
              onChange={(patch) => edit(index, patch)}
              onRemove={() => setDrafts(drafts.filter((_, i) => i !== index))}
            />
          ))}
          {failure && failure.row === null && (
            <p className="form-error" role="alert">
              {failure.message}
            </p>
          )}
          <div className="inline">
            <button
              type="button"
              className="secondary"
              data-action="add-rule"
              onClick={() => setDrafts([...drafts, emptyDraft(drafts.length)])}
            >
              {t('alertRules.add')}
            </button>
            <button type="submit" data-action="save-rules" disabled={saving}>
              {saving ? t('alertRules.saving') : t('alertRules.save')}
            </button>
            <button
              type="button"
              className="secondary"
              data-action="cancel-rules"
              onClick={() => {
                setDrafts(null);
                setFailure(null);
              }}
            >
              {t('alertRules.cancel')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function RuleList({ rules }: { rules: AlertRule[] }) {
  const { t, label, formatNumber, formatPercent } = useI18n();
  if (rules.length === 0) return <p className="empty-state">{t('alertRules.none')}</p>;
  const condition = (rule: AlertRule) => {
    switch (rule.kind) {
      case 'enters_tier':
        return t('alertRules.entersTier', { tier: label('tier', rule.tier) });
      case 'score_jump':
        return t('alertRules.scoreJump', { points: formatNumber(rule.min_increase * 100) });
      case 'high_value_threshold':
        return t('alertRules.highValue', {
          value: formatNumber(rule.min_value),
          probability: formatPercent(rule.probability, 0),
        });
    }
  };
  return (
    <div className="table-wrap">
      <table className="data-table" data-table="alert-rules">
        <thead>
          <tr>
            <th>{t('alertRules.name')}</th>
            <th>{t('alertRules.condition')}</th>
            <th>{t('alertRules.who')}</th>
            <th>{t('alertRules.quietDays')}</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((rule) => (
            <tr key={rule.name} data-rule={rule.name}>
              <td className="mono">{rule.name}</td>
              <td data-field="condition">{condition(rule)}</td>
              <td>
                {[
                  ...(rule.tiers ?? []).map((tier) => label('tier', tier)),
                  ...(rule.segments ?? []).map((segment) => label('segment', segment)),
                ].join(', ') || t('alertRules.everyone')}
              </td>
              <td>
                {rule.quiet_days === undefined ? t('alertRules.quietDefault') : formatNumber(rule.quiet_days)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RuleEditor({
  index,
  draft,
  error,
  onChange,
  onRemove,
}: {
  index: number;
  draft: RuleDraft;
  error: string | null;
  onChange: (patch: Partial<RuleDraft>) => void;
  onRemove: () => void;
}) {
  const { t, label } = useI18n();
  const number = (key: 'minIncrease' | 'minValue' | 'probability' | 'quietDays', text: string) => (
    <label>
      {text}
      <input
        name={`${key}-${index}`}
        inputMode="decimal"
        value={draft[key]}
        onChange={(event) => onChange({ [key]: event.target.value })}
      />
    </label>
  );
  return (
    <fieldset className="rule-row" data-rule-row={index} data-invalid={error ? 'true' : undefined}>
      <legend>{t('alertRules.ruleN', { n: String(index + 1) })}</legend>
      <label>
        {t('alertRules.name')}
        <input
          name={`name-${index}`}
          value={draft.name}
          onChange={(event) => onChange({ name: event.target.value })}
        />
      </label>
      <label>
        {t('alertRules.kind')}
        <select
          name={`kind-${index}`}
          value={draft.kind}
          onChange={(event) => onChange({ kind: event.target.value as RuleDraft['kind'] })}
        >
          {RULE_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`alertRules.kind.${kind}`)}
            </option>
          ))}
        </select>
      </label>
      {draft.kind === 'enters_tier' && (
        <>
          <label>
            {t('alertRules.tier')}
            <select
              name={`tier-${index}`}
              value={draft.tier}
              onChange={(event) => onChange({ tier: event.target.value as RuleDraft['tier'] })}
            >
              <option value="high">{label('tier', 'high')}</option>
              <option value="medium">{label('tier', 'medium')}</option>
            </select>
          </label>
          <label className="inline">
            <input
              type="checkbox"
              name={`firstScore-${index}`}
              checked={draft.firstScore}
              onChange={(event) => onChange({ firstScore: event.target.checked })}
            />
            {t('alertRules.firstScore')}
          </label>
        </>
      )}
      {draft.kind === 'score_jump' && number('minIncrease', t('alertRules.minIncrease'))}
      {draft.kind === 'high_value_threshold' && (
        <>
          {number('minValue', t('alertRules.minValue'))}
          {number('probability', t('alertRules.probability'))}
        </>
      )}
      <CheckboxGroup
        name={`tiers-${index}`}
        title={t('alertRules.onlyTiers')}
        choices={TIERS}
        values={draft.tiers}
        describe={(tier) => label('tier', tier)}
        onChange={(tiers) => onChange({ tiers })}
      />
      <label>
        {t('alertRules.segments')}
        <input
          name={`segments-${index}`}
          value={draft.segments}
          placeholder={t('alertRules.segmentsHint')}
          onChange={(event) => onChange({ segments: event.target.value })}
        />
      </label>
      {number('quietDays', t('alertRules.quietDays'))}
      <button type="button" className="secondary" data-action="remove-rule" onClick={onRemove}>
        {t('alertRules.remove')}
      </button>
      {error && (
        <span className="field-error" role="alert" data-error-for={`rule-${index}`}>
          {error}
        </span>
      )}
    </fieldset>
  );
}
