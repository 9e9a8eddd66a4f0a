// Strategies: the library (filtered by status), "add from template" and the edit form for strategies:edit,
// pause / resume / retire, the parameter override for campaigns:run, and the cause-tag mapping. Buttons a
// role cannot use are not shown.

import { useState } from 'react';
import type { Me } from '../api/auth';
import {
  STRATEGY_STATUSES,
  type Strategy,
  type StrategyStatus,
  type StrategyTemplate,
} from '../api/retention-types';
import { addStrategyFromTemplate, setStrategyStatus } from '../api/strategy-actions';
import { useKeptData } from '../api/use-kept-data';
import { useStrategiesQuery } from '../api/use-strategies-query';
import { useI18n } from '../i18n/i18n';
import { CauseTagPanel } from './CauseTagPanel';
import { ChoiceFilter } from './ChoiceFilter';
import { OverridePanel } from './OverridePanel';
import { QueryStatus } from './QueryStatus';
import { StrategyForm } from './StrategyForm';
import { StrategyTable } from './StrategyTable';
import { TemplatePicker } from './TemplatePicker';

/** What is open below the table: nothing, the templates, a strategy's form or its override. */
type Open = { kind: 'none' } | { kind: 'templates' } | { kind: 'edit' | 'override'; strategy: Strategy };

export function StrategiesPage({ me }: { me: Me }) {
  const { t, label, locale } = useI18n();
  const canEdit = me.permissions.includes('strategies:edit');
  const canOverride = me.permissions.includes('campaigns:run');
  const [status, setStatus] = useState<StrategyStatus | ''>('');
  const [version, setVersion] = useState(0);
  const [open, setOpen] = useState<Open>({ kind: 'none' });
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const list = useStrategiesQuery(status, version);
  const strategies = useKeptData(list)?.strategies;

  const run = async (key: string, change: () => Promise<string>) => {
    setBusy(key);
    setFailure(null);
    setNotice(null);
    try {
      setNotice(await change());
      setVersion((v) => v + 1);
    } catch (error) {
      setFailure(t('error.generic', { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setBusy(null);
    }
  };
  const add = (template: StrategyTemplate) =>
    run(template.id, async () => {
      const created = await addStrategyFromTemplate(template.id);
      setOpen({ kind: 'none' });
      return t('strategies.added', { name: created.name[locale] });
    });
  const changeStatus = (strategy: Strategy, next: StrategyStatus) =>
    run(strategy.id, async () => {
      const changed = await setStrategyStatus(strategy.id, next);
      return t('strategies.statusChanged', {
        name: changed.name[locale],
        status: label('strategyStatus', changed.status),
      });
    });

  return (
    <section className="page" data-page="strategies">
      <h1>{t('strategies.title')}</h1>
      <form className="filters" onSubmit={(event) => event.preventDefault()}>
        <ChoiceFilter
          name="status"
          title={t('strategies.status')}
          value={status}
          choices={STRATEGY_STATUSES}
          describe={(choice) => label('strategyStatus', choice)}
          onChange={setStatus}
        />
        {canEdit && (
          <button
            type="button"
            className="primary"
            data-action="open-templates"
            onClick={() => setOpen({ kind: 'templates' })}
          >
            {t('strategies.addFromTemplate')}
          </button>
        )}
      </form>
      {!canEdit && (
        <p className="muted" data-status="read-only">
          {canOverride ? t('strategies.overrideOnly') : t('strategies.readOnly')}
        </p>
      )}
      {notice && (
        <p className="notice" data-status="notice">
          {notice}
        </p>
      )}
      {failure && (
        <p className="form-error" role="alert">
          {failure}
        </p>
      )}
      {open.kind === 'templates' && (
        <TemplatePicker busy={busy !== null} onAdd={add} onClose={() => setOpen({ kind: 'none' })} />
      )}
      {(strategies === undefined || list.status === 'error') && <QueryStatus query={list} />}
      {strategies !== undefined &&
        (strategies.length === 0 ? (
          <p className="empty-state" data-status="empty">
            {canEdit ? t('strategies.emptyEdit') : t('strategies.empty')}
          </p>
        ) : (
          <StrategyTable
            strategies={strategies}
            canEdit={canEdit}
            canOverride={canOverride}
            busy={busy}
            onEdit={(strategy) => setOpen({ kind: 'edit', strategy })}
            onOverride={(strategy) => setOpen({ kind: 'override', strategy })}
            onStatus={changeStatus}
          />
        ))}
      {open.kind === 'edit' && (
        <StrategyForm
          key={open.strategy.id}
          strategy={open.strategy}
          onCancel={() => setOpen({ kind: 'none' })}
          onSaved={(saved) => {
            setOpen({ kind: 'none' });
            setNotice(t('strategies.saved', { name: saved.name[locale] }));
            setVersion((v) => v + 1);
          }}
        />
      )}
      {open.kind === 'override' && (
        <OverridePanel
          key={open.strategy.id}
          strategy={open.strategy}
          onClose={() => setOpen({ kind: 'none' })}
        />
      )}
      <CauseTagPanel canEdit={canEdit} />
    </section>
  );
}
