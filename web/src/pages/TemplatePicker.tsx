// "Add from template": the built-in templates grouped by industry, each with its description, action,
// channel, unit cost and prior save rate, and a button that adds it to the library (strategies:edit).

import { INDUSTRIES, type StrategyTemplate } from '../api/retention-types';
import { useTemplatesQuery } from '../api/use-templates-query';
import { useI18n } from '../i18n/i18n';
import { QueryStatus } from './QueryStatus';
import { formatMoney } from './retention-format';

export function TemplatePicker({
  busy,
  onAdd,
  onClose,
}: {
  busy: boolean;
  onAdd: (template: StrategyTemplate) => void;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t, label, locale, formatPercent } = i18n;
  const query = useTemplatesQuery();
  return (
    <div className="panel" data-panel="templates">
      <div className="panel-head">
        <h2>{t('strategies.templatesTitle')}</h2>
        <button type="button" data-action="close-templates" onClick={onClose}>
          {t('strategies.close')}
        </button>
      </div>
      <QueryStatus query={query} />
      {query.status === 'done' &&
        INDUSTRIES.map((industry) => {
          const templates = query.data.templates.filter((template) => template.industry === industry);
          if (templates.length === 0) return null;
          return (
            <div key={industry} className="template-group" data-industry={industry}>
              <h3>{label('industry', industry)}</h3>
              <ul className="template-list">
                {templates.map((template) => (
                  <li key={template.id} data-template={template.id}>
                    <div>
                      <strong>{template.name[locale]}</strong>
                      <div className="muted">{template.description[locale]}</div>
                      <div className="muted">
                        {t('strategies.templateFacts', {
                          action: label('action', template.actionKind),
                          channel: label('channel', template.channel),
                          cost: formatMoney(i18n, template.unitCost),
                          prior: formatPercent(template.savePrior),
                        })}
                      </div>
                    </div>
                    <button
                      type="button"
                      className="primary"
                      data-action="add-template"
                      disabled={busy}
                      onClick={() => onAdd(template)}
                    >
                      {t('strategies.add')}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
    </div>
  );
}
