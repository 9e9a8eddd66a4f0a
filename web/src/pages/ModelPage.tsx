// Model: a version's test figures per kind against the baseline, ROC and PR curves, lift and gains by
// decile, calibration, feature importance, per-cutoff figures, and the confusion matrix at a threshold
// chosen with a slider (from the PR curve's points and the test's rows and positives).

import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { ModelDetail, ModelVersion } from '../api/types';
import { useApiQuery } from '../api/use-api-query';
import { featureLabel } from '../i18n/feature-label';
import { useI18n } from '../i18n/i18n';
import { QueryStatus } from './QueryStatus';
import { ThresholdPanel } from './ThresholdPanel';

const XYChart = lazy(() => import('../charts/XYChart').then((module) => ({ default: module.XYChart })));
const LiftChart = lazy(() => import('../charts/LiftChart').then((module) => ({ default: module.LiftChart })));
const ImportanceChart = lazy(() =>
  import('../charts/ImportanceChart').then((module) => ({ default: module.ImportanceChart })),
);

export function ModelPage() {
  const i18n = useI18n();
  const { t, formatDate, label } = i18n;
  const models = useApiQuery<{ models: ModelVersion[] }>('/api/models');
  const [version, setVersion] = useState<number | undefined>(undefined);
  useEffect(() => {
    if (models.status !== 'done' || version !== undefined) return;
    const first = models.data.models.find((m) => m.status === 'champion') ?? models.data.models[0];
    if (first) setVersion(first.version);
  }, [models, version]);
  const detail = useApiQuery<ModelDetail>(version === undefined ? null : `/api/models/${version}`);

  return (
    <section className="page" data-page="model">
      <h1>{t('model.title')}</h1>
      <QueryStatus query={models} />
      {models.status === 'done' && models.data.models.length === 0 && (
        <p className="empty-state" data-empty="model">
          {t('model.none')}
        </p>
      )}
      {models.status === 'done' && models.data.models.length > 0 && (
        <div className="filters">
          <label>
            {t('model.version')}
            <select
              name="version"
              value={version ?? ''}
              onChange={(event) => setVersion(Number(event.target.value))}
            >
              {models.data.models.map((m) => (
                <option key={m.version} value={m.version}>
                  {t('model.versionOption', {
                    version: m.version,
                    kind: label('kind', m.kind),
                    status: label('status', m.status),
                    date: formatDate(m.createdAt.replace(' ', 'T')),
                  })}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      {version !== undefined && <QueryStatus query={detail} />}
      {detail.status === 'done' && <ModelReportView model={detail.data} />}
    </section>
  );
}

function ModelReportView({ model }: { model: ModelDetail }) {
  const i18n = useI18n();
  const { t, formatNumber, formatPercent, formatDate, label } = i18n;
  const report = model.report;
  const test = report.test ?? undefined;
  const figure = (value: number | null | undefined, digits = 3) =>
    value === null || value === undefined ? '—' : formatNumber(value, { maximumFractionDigits: digits });
  const curves = useMemo(() => {
    if (!test) return undefined;
    const zip = (xs: number[], ys: number[]) => xs.map((x, index) => [x, ys[index] ?? 0] as [number, number]);
    return {
      roc: zip(test.roc.fpr, test.roc.tpr),
      pr: zip(test.pr.recall, test.pr.precision),
      calibration: test.calibration.map(
        (bin) => [bin.meanPredicted, bin.fractionPositive] as [number, number],
      ),
    };
  }, [test]);
  const importance = useMemo(
    () =>
      (model.importance ?? [])
        .slice(0, 15)
        .map((row) => ({ label: featureLabel(i18n, row.feature), value: row.meanAbsContribution })),
    [model.importance, i18n],
  );
  const loading = <p>{t('page.loading')}</p>;

  return (
    <>
      <div className="panel">
        <div className="panel-head">
          <h2>{t('model.metricsTitle')}</h2>
          <span className="muted">
            {t('model.testOn', { cutoff: formatDate(model.testCutoff), rows: formatNumber(test?.rows ?? 0) })}
          </span>
        </div>
        <div className="table-wrap">
          <table className="data-table" data-table="metrics">
            <thead>
              <tr>
                <th>{t('model.kind')}</th>
                <th className="num">{t('overview.rocAuc')}</th>
                <th className="num">{t('overview.prAuc')}</th>
                <th className="num">{t('model.accuracy')}</th>
                <th className="num">{t('model.logLoss')}</th>
                <th className="num">{t('model.brier')}</th>
                <th className="num">{t('model.topDecileLift')}</th>
              </tr>
            </thead>
            <tbody>
              {(report.results ?? []).map((result) => (
                <tr
                  key={result.model}
                  data-kind={result.model}
                  className={result.model === model.kind ? 'current' : undefined}
                >
                  <td>
                    {label('kind', result.model)}
                    {result.model === model.kind && <span className="tag">{t('model.thisVersion')}</span>}
                  </td>
                  <td className="num">{figure(result.roc_auc)}</td>
                  <td className="num">{figure(result.pr_auc)}</td>
                  <td className="num">{figure(result.accuracy)}</td>
                  <td className="num">{figure(result.log_loss)}</td>
                  <td className="num">{figure(result.brier)}</td>
                  <td className="num">{figure(result.top_decile_lift, 2)}</td>
                </tr>
              ))}
              {report.baseline && (
                <tr data-kind="baseline">
                  <td>{t('model.baseline')}</td>
                  <td className="num">{figure(report.baseline.roc_auc)}</td>
                  <td className="num">{figure(report.baseline.pr_auc)}</td>
                  <td className="num">—</td>
                  <td className="num">—</td>
                  <td className="num">—</td>
                  <td className="num">—</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </div>

      {test && curves ? (
        <>
          <ThresholdPanel test={test} />
          <div className="grid-2">
            <div className="panel">
              <h2>{t('model.rocTitle')}</h2>
              <Suspense fallback={loading}>
                <XYChart
                  name="roc"
                  label={t('model.rocTitle')}
                  curves={[{ name: label('kind', model.kind), points: curves.roc, colour: '#1f5fbf' }]}
                  xName={t('model.fpr')}
                  yName={t('model.tpr')}
                  diagonal={t('model.random')}
                  percentAxes
                />
              </Suspense>
            </div>
            <div className="panel">
              <h2>{t('model.prTitle')}</h2>
              <Suspense fallback={loading}>
                <XYChart
                  name="pr"
                  label={t('model.prTitle')}
                  curves={[
                    { name: label('kind', model.kind), points: curves.pr, colour: '#c8372d' },
                    {
                      name: t('model.positiveRate'),
                      points: [
                        [0, test.positives / Math.max(1, test.rows)],
                        [1, test.positives / Math.max(1, test.rows)],
                      ],
                      colour: '#9aa4b1',
                    },
                  ]}
                  xName={t('model.recall')}
                  yName={t('model.precision')}
                  percentAxes
                />
              </Suspense>
            </div>
            <div className="panel">
              <h2>{t('model.liftTitle')}</h2>
              <Suspense fallback={loading}>
                <LiftChart lift={test.lift} />
              </Suspense>
            </div>
            <div className="panel">
              <h2>{t('model.calibrationTitle')}</h2>
              <Suspense fallback={loading}>
                <XYChart
                  name="calibration"
                  label={t('model.calibrationTitle')}
                  curves={[
                    {
                      name: label('kind', model.kind),
                      points: curves.calibration,
                      colour: '#3b8c5a',
                      markers: true,
                    },
                  ]}
                  xName={t('model.meanPredicted')}
                  yName={t('model.fractionPositive')}
                  diagonal={t('model.perfect')}
                  percentAxes
                />
              </Suspense>
            </div>
          </div>
        </>
      ) : (
        <p className="empty-state" data-empty="curves">
          {t('model.noCurves')}
        </p>
      )}

      <div className="panel">
        <h2>{t('model.importanceTitle')}</h2>
        {importance.length > 0 ? (
          <Suspense fallback={loading}>
            <ImportanceChart rows={importance} />
          </Suspense>
        ) : (
          <p className="muted">{t('model.noImportance')}</p>
        )}
      </div>

      <div className="panel">
        <h2>{t('model.cutoffsTitle')}</h2>
        <div className="table-wrap">
          <table className="data-table" data-table="cutoffs">
            <thead>
              <tr>
                <th>{t('model.cutoff')}</th>
                <th>{t('model.role')}</th>
                <th className="num">{t('model.customers')}</th>
                <th className="num">{t('model.churned')}</th>
                <th className="num">{t('model.churnRate')}</th>
                <th className="num">{t('model.voluntary')}</th>
                <th className="num">{t('model.involuntary')}</th>
                <th className="num">{t('overview.rocAuc')}</th>
                <th className="num">{t('overview.prAuc')}</th>
              </tr>
            </thead>
            <tbody>
              {(report.cutoffs ?? []).map((cutoff) => (
                <tr key={cutoff.cutoff} data-role={cutoff.role}>
                  <td>{formatDate(cutoff.cutoff)}</td>
                  <td>{label('cutoffRole', cutoff.role)}</td>
                  <td className="num">{formatNumber(cutoff.customers)}</td>
                  <td className="num">{formatNumber(cutoff.positives)}</td>
                  <td className="num">{formatPercent(cutoff.positive_rate)}</td>
                  <td className="num">
                    {cutoff.voluntary === undefined ? '—' : formatNumber(cutoff.voluntary)}
                  </td>
                  <td className="num">
                    {cutoff.involuntary === undefined ? '—' : formatNumber(cutoff.involuntary)}
                  </td>
                  <td className="num">{figure(cutoff.roc_auc)}</td>
                  <td className="num">{figure(cutoff.pr_auc)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </>
  );
}
