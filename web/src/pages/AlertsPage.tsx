// Alerts: the inbox (new / acknowledged / closed, filtered by tier, segment and reason), acknowledging and
// closing for roles with alerts:ack (the buttons are hidden for the others), the dead-letter list, and the
// rules (edited by roles with alerts:configure).

import { useState } from 'react';
import { acknowledgeAlert, closeAlert } from '../api/alert-actions';
import type { Me } from '../api/auth';
import { ALERT_STATUSES, type AlertPage } from '../api/types';
import { useApiQuery } from '../api/use-api-query';
import { useI18n } from '../i18n/i18n';
import { AlertRulesPanel } from './AlertRulesPanel';
import { AlertTable } from './AlertTable';
import { type AlertFilters, alertsPath, NO_ALERT_FILTERS } from './alert-filters';
import { DeadLetterPanel } from './DeadLetterPanel';
import { Pager } from './Pager';
import { QueryStatus } from './QueryStatus';
import { RiskFilters } from './RiskFilters';

const PAGE_SIZE = 50;

export function AlertsPage({ me }: { me: Me }) {
  const i18n = useI18n();
  const { t, formatNumber, label } = i18n;
  const canAct = me.permissions.includes('alerts:ack');
  const [filters, setFilters] = useState<AlertFilters>(NO_ALERT_FILTERS);
  const [offset, setOffset] = useState(0);
  const [version, setVersion] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const list = useApiQuery<AlertPage>(alertsPath(filters, { limit: PAGE_SIZE, offset }), version);

  const change = (patch: Partial<AlertFilters>) => {
    setFilters((current) => ({ ...current, ...patch }));
    setOffset(0);
  };
  const act = async (id: string, action: (id: string) => Promise<unknown>) => {
    setBusy(id);
    setFailure(null);
    try {
      await action(id);
      setVersion((v) => v + 1);
    } catch (error) {
      setFailure(t('error.generic', { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setBusy(null);
    }
  };
  const total = list.status === 'done' ? list.data.total : 0;

  return (
    <section className="page" data-page="alerts">
      <h1>{t('alerts.title')}</h1>
      <fieldset className="tabs">
        <legend className="visually-hidden">{t('alerts.statusLabel')}</legend>
        {ALERT_STATUSES.map((status) => (
          <button
            key={status}
            type="button"
            data-status={status}
            aria-pressed={filters.status === status}
            onClick={() => change({ status })}
          >
            {label('alertStatus', status)}
          </button>
        ))}
      </fieldset>
      <form className="filters" onSubmit={(event) => event.preventDefault()}>
        <RiskFilters values={filters} onChange={change} />
        <button
          type="button"
          className="secondary"
          onClick={() => change({ tier: '', segment: '', reason: '' })}
        >
          {t('filter.reset')}
        </button>
      </form>
      {!canAct && (
        <p className="muted" data-status="read-only">
          {t('alerts.readOnly')}
        </p>
      )}
      {failure && (
        <p className="form-error" role="alert">
          {failure}
        </p>
      )}
      <QueryStatus query={list} />
      {list.status === 'done' && (
        <>
          <p className="muted" data-status="count">
            {list.data.total === 0
              ? t('alerts.none')
              : t('alerts.showing', {
                  from: formatNumber(offset + 1),
                  to: formatNumber(offset + list.data.alerts.length),
                  total: formatNumber(list.data.total),
                })}
          </p>
          {list.data.alerts.length > 0 && (
            <AlertTable
              alerts={list.data.alerts}
              canAct={canAct}
              busy={busy}
              onAck={(id) => act(id, acknowledgeAlert)}
              onClose={(id) => act(id, closeAlert)}
            />
          )}
          <Pager offset={offset} pageSize={PAGE_SIZE} total={total} onChange={setOffset} />
        </>
      )}
      <DeadLetterPanel canAct={canAct} />
      <AlertRulesPanel canEdit={me.permissions.includes('alerts:configure')} />
    </section>
  );
}
