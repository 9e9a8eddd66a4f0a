// The strategy library as a table: name in the chosen language, industry, action, channel, unit cost, prior
// save rate, budget, status and who it is for; edit, pause/resume and retire (asked twice) for
// strategies:edit, the parameter override for campaigns:run.

import { useState } from 'react';
import type { Strategy, StrategyStatus } from '../api/retention-types';
import { useI18n } from '../i18n/i18n';
import { conditionsSummary } from './conditions-summary';
import { formatMoney } from './retention-format';

export function StrategyTable({
  strategies,
  canEdit,
  canOverride,
  busy,
  onEdit,
  onOverride,
  onStatus,
}: {
  strategies: Strategy[];
  canEdit: boolean;
  canOverride: boolean;
  /** A strategy whose change is on its way: its buttons wait. */
  busy: string | null;
  onEdit: (strategy: Strategy) => void;
  onOverride: (strategy: Strategy) => void;
  onStatus: (strategy: Strategy, status: StrategyStatus) => void;
}) {
  const i18n = useI18n();
  const { t, label, locale, formatPercent } = i18n;
  const [confirming, setConfirming] = useState<string | null>(null);
  const showActions = canEdit || canOverride;
  return (
    <div className="table-wrap">
      <table className="data-table strategies wrap-head" data-table="strategies">
        <thead>
          <tr>
            <th>{t('strategies.name')}</th>
            <th>{t('strategies.industry')}</th>
            <th>{t('strategies.action')}</th>
            <th>{t('strategies.channel')}</th>
            <th className="num">{t('strategies.unitCost')}</th>
            <th className="num">{t('strategies.savePrior')}</th>
            <th className="num">{t('strategies.budget')}</th>
            <th>{t('strategies.status')}</th>
            <th>{t('strategies.conditions')}</th>
            {showActions && <th>{t('strategies.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {strategies.map((strategy) => {
            const waiting = busy === strategy.id;
            const retired = strategy.status === 'retired';
            return (
              <tr key={strategy.id} data-strategy={strategy.id} data-status={strategy.status}>
                <td data-field="name">
                  {strategy.name[locale]}
                  {strategy.templateId && <div className="muted mono">{strategy.templateId}</div>}
                </td>
                <td>{label('industry', strategy.industry)}</td>
                <td>{label('action', strategy.actionKind)}</td>
                <td>{label('channel', strategy.channel)}</td>
                <td className="num">{formatMoney(i18n, strategy.unitCost)}</td>
                <td className="num">{formatPercent(strategy.savePrior)}</td>
                <td className="num">
                  {strategy.budget === null ? t('strategies.noBudget') : formatMoney(i18n, strategy.budget)}
                </td>
                <td>
                  <span className="strategy-status" data-status={strategy.status}>
                    {label('strategyStatus', strategy.status)}
                  </span>
                </td>
                <td className="conditions" data-field="conditions">
                  {conditionsSummary(i18n, strategy.conditions)}
                </td>
                {showActions && (
                  <td className="actions">
                    {canEdit && !retired && (
                      <>
                        <button
                          type="button"
                          data-action="edit"
                          disabled={waiting}
                          onClick={() => onEdit(strategy)}
                        >
                          {t('strategies.edit')}
                        </button>
                        {strategy.status === 'active' ? (
                          <button
                            type="button"
                            data-action="pause"
                            disabled={waiting}
                            onClick={() => onStatus(strategy, 'paused')}
                          >
                            {t('strategies.pause')}
                          </button>
                        ) : (
                          <button
                            type="button"
                            data-action="resume"
                            disabled={waiting}
                            onClick={() => onStatus(strategy, 'active')}
                          >
                            {t('strategies.resume')}
                          </button>
                        )}
                        {confirming === strategy.id ? (
                          <span className="confirm" data-status="confirm-retire">
                            {t('strategies.retireConfirm')}
                            <button
                              type="button"
                              className="danger"
                              data-action="confirm-retire"
                              disabled={waiting}
                              onClick={() => {
                                setConfirming(null);
                                onStatus(strategy, 'retired');
                              }}
                            >
                              {t('strategies.retireYes')}
                            </button>
                            <button
                              type="button"
                              data-action="cancel-retire"
                              onClick={() => setConfirming(null)}
                            >
                              {t('strategies.cancel')}
                            </button>
                          </span>
                        ) : (
                          <button
                            type="button"
                            data-action="retire"
                            disabled={waiting}
                            onClick={() => setConfirming(strategy.id)}
                          >
                            {t('strategies.retire')}
                          </button>
                        )}
                      </>
                    )}
                    {canOverride && !retired && (
                      <button type="button" data-action="override" onClick={() => onOverride(strategy)}>
                        {t('strategies.override')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
