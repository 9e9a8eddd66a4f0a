// Data: the newest loads per source, quarantined rows per source × reason with examples (file, line,
// the row with personal columns masked), and the inactivity (return) curve with its suggested horizon.

import { lazy, Suspense, useMemo } from 'react';
import type { InactivityCurve, Load, QuarantineSummary } from '../api/types';
import { useApiQuery } from '../api/use-api-query';
import { useI18n } from '../i18n/i18n';
import { QueryStatus } from './QueryStatus';

const XYChart = lazy(() => import('../charts/XYChart').then((module) => ({ default: module.XYChart })));

export function DataPage() {
  const { t } = useI18n();
  const loads = useApiQuery<{ loads: Load[] }>('/api/data/loads?limit=20');
  const quarantine = useApiQuery<QuarantineSummary>('/api/data/quarantine?limit=20');
  const inactivity = useApiQuery<InactivityCurve>('/api/data/inactivity');
  return (
    <section className="page" data-page="data">
      <h1>{t('data.title')}</h1>
      <div className="panel">
        <h2>{t('data.loadsTitle')}</h2>
        <QueryStatus query={loads} />
        {loads.status === 'done' && <LoadsTable loads={loads.data.loads} />}
      </div>
      <div className="panel">
        <h2>{t('data.quarantineTitle')}</h2>
        <QueryStatus query={quarantine} />
        {quarantine.status === 'done' && <QuarantineView summary={quarantine.data} />}
      </div>
      <div className="panel">
        <h2>{t('data.inactivityTitle')}</h2>
        <QueryStatus query={inactivity} />
        {inactivity.status === 'done' && <InactivityView curve={inactivity.data} />}
      </div>
    </section>
  );
}

function baseName(file: string): string {
  return file.split(/[\\/]/).at(-1) ?? file;
}

function LoadsTable({ loads }: { loads: Load[] }) {
  const { t, formatNumber, formatDate, label } = useI18n();
  if (loads.length === 0) return <p className="empty-state">{t('data.noLoads')}</p>;
  return (
    <div className="table-wrap">
      <table className="data-table" data-table="loads">
        <thead>
          <tr>
            <th>{t('data.source')}</th>
            <th>{t('data.file')}</th>
            <th>{t('data.loadedAt')}</th>
            <th className="num">{t('data.rowsRead')}</th>
            <th className="num">{t('data.rowsLoaded')}</th>
            <th className="num">{t('data.rowsQuarantined')}</th>
          </tr>
        </thead>
        <tbody>
          {loads.map((load) => (
            <tr key={load.loadId}>
              <td>{label('source', load.source)}</td>
              <td className="mono" title={load.file}>
                {baseName(load.file)}
              </td>
              <td>
                {formatDate(load.loadedAt.replace(' ', 'T'), { dateStyle: 'medium', timeStyle: 'short' })}
              </td>
              <td className="num">{formatNumber(load.rowsRead)}</td>
              <td className="num">{formatNumber(load.rowsLoaded)}</td>
              <td className="num">{formatNumber(load.rowsQuarantined)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function QuarantineView({ summary }: { summary: QuarantineSummary }) {
  const { t, formatNumber, label } = useI18n();
  const { sources, reasons, cell } = useMemo(() => {
    const rows = new Map<string, number>();
    for (const count of summary.counts) rows.set(`${count.source}\u0000${count.reason}`, count.rows);
    return {
      sources: [...new Set(summary.counts.map((count) => count.source))].sort(),
      reasons: [...new Set(summary.counts.map((count) => count.reason))].sort(),
      cell: (source: string, reason: string) => rows.get(`${source}\u0000${reason}`) ?? 0,
    };
  }, [summary]);
  if (summary.counts.length === 0) return <p className="empty-state">{t('data.noQuarantine')}</p>;
  return (
    <>
      <div className="table-wrap">
        <table className="data-table" data-table="quarantine">
          <thead>
            <tr>
              <th>{t('data.source')}</th>
              {reasons.map((reason) => (
                <th key={reason} className="num">
                  {label('quarantine', reason)}
                </th>
              ))}
              <th className="num">{t('data.total')}</th>
            </tr>
          </thead>
          <tbody>
            {sources.map((source) => (
              <tr key={source}>
                <th scope="row">{label('source', source)}</th>
                {reasons.map((reason) => (
                  <td key={reason} className="num">
                    {cell(source, reason) === 0 ? '·' : formatNumber(cell(source, reason))}
                  </td>
                ))}
                <td className="num">
                  {formatNumber(reasons.reduce((sum, reason) => sum + cell(source, reason), 0))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>{t('data.examples')}</h3>
      <div className="table-wrap">
        <table className="data-table" data-table="quarantine-examples">
          <thead>
            <tr>
              <th>{t('data.source')}</th>
              <th>{t('data.reason')}</th>
              <th>{t('data.where')}</th>
              <th>{t('column.id')}</th>
              <th>{t('data.detail')}</th>
              <th>{t('data.row')}</th>
            </tr>
          </thead>
          <tbody>
            {summary.examples.map((example) => (
              <tr key={`${example.loadId}-${example.line}-${example.reason}`}>
                <td>{label('source', example.source)}</td>
                <td>{label('quarantine', example.reason)}</td>
                <td className="mono">
                  {t('data.fileLine', { file: baseName(example.file), line: example.line })}
                </td>
                <td className="mono">{example.customerId ?? '—'}</td>
                <td>{example.detail ?? '—'}</td>
                <td className="mono raw">{JSON.stringify(example.raw)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function InactivityView({ curve }: { curve: InactivityCurve }) {
  const { t, formatNumber, formatDate, label } = useI18n();
  const points = useMemo(
    () =>
      curve.points
        .filter((point) => point.returnShare !== null)
        .map((point) => [point.gapDays, point.returnShare ?? 0] as [number, number]),
    [curve],
  );
  if (points.length === 0)
    return (
      <p className="empty-state" data-empty="inactivity">
        {t('data.noInactivity')}
      </p>
    );
  return (
    <>
      <p className="muted">
        {t('data.inactivityNote', {
          activity: curve.activity ? label('activity', curve.activity) : '—',
          date: curve.computedAt ? formatDate(curve.computedAt.replace(' ', 'T')) : '—',
        })}
        {curve.suggestedHorizonDays !== null &&
          ` ${t('data.suggestedHorizon', { days: formatNumber(curve.suggestedHorizonDays) })}`}
      </p>
      <Suspense fallback={<p>{t('page.loading')}</p>}>
        <XYChart
          name="inactivity"
          label={t('data.inactivityTitle')}
          curves={[{ name: t('data.returnShare'), points, colour: '#1f5fbf' }]}
          xName={t('data.gapDays')}
          yName={t('data.returnShare')}
        />
      </Suspense>
    </>
  );
}
