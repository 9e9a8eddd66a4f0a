// At-risk list: the scored customers filtered by tier, segment, reason, probability range and search,
// sorted and paged by the API, exported as CSV (every page of the filter, masked as the API returns it).

import { useEffect, useState } from 'react';
import type { CustomerPage } from '../api/types';
import { useApiQuery } from '../api/use-api-query';
import { useI18n } from '../i18n/i18n';
import { CustomerTable } from './CustomerTable';
import { type CustomerFilters, customersPath, NO_FILTERS, type SortKey } from './customer-filters';
import { CSV_COLUMNS, download, exportFileName, fetchAllRows, rowsToCsv } from './export-csv';
import { Pager } from './Pager';
import { QueryStatus } from './QueryStatus';
import { RiskFilters } from './RiskFilters';

const PAGE_SIZE = 50;

export function AtRiskPage() {
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  const [filters, setFilters] = useState<CustomerFilters>(NO_FILTERS);
  const [offset, setOffset] = useState(0);
  const applied = useDebounced(filters, 300);
  const list = useApiQuery<CustomerPage>(customersPath(applied, { limit: PAGE_SIZE, offset }));
  const [exporting, setExporting] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const change = (patch: Partial<CustomerFilters>) => {
    setFilters((current) => ({ ...current, ...patch }));
    setOffset(0);
  };
  const onSort = (key: SortKey) =>
    change({
      sort: key,
      order:
        filters.sort === key ? (filters.order === 'asc' ? 'desc' : 'asc') : key === 'id' ? 'asc' : 'desc',
    });
  const exportCsv = async () => {
    setBusy(true);
    setExporting(t('atRisk.exporting', { rows: 0, total: '…' }));
    try {
      const rows = await fetchAllRows(applied, (done, total) =>
        setExporting(t('atRisk.exporting', { rows: formatNumber(done), total: formatNumber(total) })),
      );
      const headers = CSV_COLUMNS.map((key) => t(key));
      download(rowsToCsv(rows, i18n.locale, headers), exportFileName(new Date()));
      setExporting(null);
    } catch (error) {
      setExporting(t('error.generic', { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setBusy(false);
    }
  };
  const total = list.status === 'done' ? list.data.total : 0;

  return (
    <section className="page" data-page="atRisk">
      <h1>{t('atRisk.title')}</h1>
      <form className="filters" onSubmit={(event) => event.preventDefault()}>
        <RiskFilters values={filters} onChange={change} />
        <label>
          {t('filter.minProbability')}
          <input
            name="minProbability"
            type="number"
            min={0}
            max={100}
            step={1}
            inputMode="numeric"
            value={filters.minPercent}
            onChange={(event) => change({ minPercent: event.target.value })}
          />
        </label>
        <label>
          {t('filter.maxProbability')}
          <input
            name="maxProbability"
            type="number"
            min={0}
            max={100}
            step={1}
            inputMode="numeric"
            value={filters.maxPercent}
            onChange={(event) => change({ maxPercent: event.target.value })}
          />
        </label>
        <label className="grow">
          {t('filter.search')}
          <input
            name="search"
            type="search"
            placeholder={t('filter.searchHint')}
            value={filters.search}
            onChange={(event) => change({ search: event.target.value })}
          />
        </label>
        <button type="button" className="secondary" onClick={() => change(NO_FILTERS)}>
          {t('filter.reset')}
        </button>
        <button type="button" className="primary" data-action="export" onClick={exportCsv} disabled={busy}>
          {t('atRisk.export')}
        </button>
      </form>
      {exporting && (
        <p className="muted" data-status="export">
          {exporting}
        </p>
      )}
      <QueryStatus query={list} />
      {list.status === 'done' && (
        <>
          <p className="muted" data-status="count">
            {list.data.total === 0
              ? t('atRisk.none')
              : t('atRisk.showing', {
                  from: formatNumber(offset + 1),
                  to: formatNumber(offset + list.data.customers.length),
                  total: formatNumber(list.data.total),
                })}
          </p>
          {list.data.customers.length > 0 && (
            <CustomerTable
              rows={list.data.customers}
              sort={filters.sort}
              order={filters.order}
              onSort={onSort}
            />
          )}
          <Pager offset={offset} pageSize={PAGE_SIZE} total={total} onChange={setOffset} />
        </>
      )}
    </section>
  );
}

/** `value`, once it has stayed the same for `delay` ms (typing in a filter asks once, not per key). */
function useDebounced<T>(value: T, delay: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
}
