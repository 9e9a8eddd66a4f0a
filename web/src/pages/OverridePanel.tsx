// An operator's parameter override of one strategy (campaigns:run): each of the strategy's parameters with
// its default, an input for the value every customer gets instead (empty keeps the default), and the
// per-customer overrides listed below (set through the API).

import { type FormEvent, useState } from 'react';
import type { Parameters, Strategy } from '../api/retention-types';
import { setStrategyOverride } from '../api/strategy-actions';
import { useOverridesQuery } from '../api/use-overrides-query';
import { useI18n } from '../i18n/i18n';
import { QueryStatus } from './QueryStatus';
import { parseParameters } from './strategy-form';

export function OverridePanel({ strategy, onClose }: { strategy: Strategy; onClose: () => void }) {
  const { t, locale, formatDate } = useI18n();
  const [version, setVersion] = useState(0);
  const query = useOverridesQuery(strategy.id, version);
  const [values, setValues] = useState<Record<string, string> | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const overrides = query.status === 'done' ? query.data.overrides : [];
  const wide = overrides.find((entry) => entry.customerId === null);
  const perCustomer = overrides.filter((entry) => entry.customerId !== null);
  const keys = Object.keys(strategy.parameters);
  const shown =
    values ??
    Object.fromEntries(
      keys.map((key) => [key, wide && key in wide.parameters ? String(wide.parameters[key]) : '']),
    );

  const save = async (parameters: Parameters) => {
    setSaving(true);
    setMessage(null);
    try {
      await setStrategyOverride(strategy.id, parameters);
      setValues(null);
      setVersion((v) => v + 1);
      setMessage(t('strategies.overrideSaved'));
    } catch (error) {
      setMessage(t('error.generic', { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setSaving(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const lines = Object.entries(shown)
      .filter(([, value]) => value.trim() !== '')
      .map(([key, value]) => `${key} = ${value}`);
    save(parseParameters(lines.join('\n')) ?? {});
  };

  return (
    <form className="panel" data-panel="override" data-strategy={strategy.id} onSubmit={submit}>
      <div className="panel-head">
        <h2>{t('strategies.overrideTitle', { name: strategy.name[locale] })}</h2>
        <span className="muted">{t('strategies.overrideNote')}</span>
      </div>
      <QueryStatus query={query} />
      {keys.length === 0 ? (
        <p className="muted">{t('strategies.noParameters')}</p>
      ) : (
        <div className="filters">
          {keys.map((key) => (
            <label key={key}>
              {t('strategies.parameterDefault', { name: key, value: String(strategy.parameters[key]) })}
              <input
                name={`override-${key}`}
                value={shown[key] ?? ''}
                placeholder={String(strategy.parameters[key])}
                onChange={(event) => setValues({ ...shown, [key]: event.target.value })}
              />
            </label>
          ))}
        </div>
      )}
      {perCustomer.length > 0 && (
        <p className="muted" data-status="customer-overrides">
          {t('strategies.customerOverrides', { count: perCustomer.length })}
        </p>
      )}
      {wide && (
        <p className="muted">
          {t('strategies.overrideBy', { name: wide.updatedBy ?? '—', time: formatDate(wide.updatedAt) })}
        </p>
      )}
      {message && <p data-status="override">{message}</p>}
      <div className="form-actions">
        <button
          type="submit"
          className="primary"
          data-action="save-override"
          disabled={saving || keys.length === 0}
        >
          {t('strategies.save')}
        </button>
        <button
          type="button"
          data-action="clear-override"
          disabled={saving || !wide}
          onClick={() => save({})}
        >
          {t('strategies.clearOverride')}
        </button>
        <button type="button" onClick={onClose}>
          {t('strategies.close')}
        </button>
      </div>
    </form>
  );
}
