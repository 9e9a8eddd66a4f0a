// How score drivers map to churn causes: each feature with the tag in force (default or overridden); a role
// with strategies:edit picks another tag, "names no cause", or back to the default rule.

import { useState } from 'react';
import type { CauseTag, CauseTagMapping } from '../api/retention-types';
import { setCauseTag } from '../api/strategy-actions';
import { useCauseTagsQuery } from '../api/use-cause-tags-query';
import { useKeptData } from '../api/use-kept-data';
import { featureLabel } from '../i18n/feature-label';
import { useI18n } from '../i18n/i18n';
import { QueryStatus } from './QueryStatus';

/** The select's value for "no cause" (the API's null) and for "the default rule". */
const NONE = '-';
const DEFAULT = '';

export function CauseTagPanel({ canEdit }: { canEdit: boolean }) {
  const i18n = useI18n();
  const { t, label } = i18n;
  const [version, setVersion] = useState(0);
  const query = useCauseTagsQuery(version);
  const data = useKeptData(query);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const tagName = (tag: CauseTag | null) => (tag === null ? t('causes.none') : label('cause', tag));

  const change = async (mapping: CauseTagMapping, value: string) => {
    setBusy(mapping.feature);
    setFailure(null);
    try {
      await setCauseTag(
        mapping.feature,
        value === DEFAULT ? 'default' : value === NONE ? null : (value as CauseTag),
      );
      setVersion((v) => v + 1);
    } catch (error) {
      setFailure(t('error.generic', { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="panel" data-panel="cause-tags">
      <div className="panel-head">
        <h2>{t('causes.title')}</h2>
        <span className="muted">{t('causes.note')}</span>
      </div>
      {failure && (
        <p className="form-error" role="alert">
          {failure}
        </p>
      )}
      {(data === undefined || query.status === 'error') && <QueryStatus query={query} />}
      {data !== undefined && (
        <div className="table-wrap table-scroll">
          <table className="data-table" data-table="cause-tags">
            <thead>
              <tr>
                <th>{t('causes.feature')}</th>
                <th>{t('causes.tag')}</th>
                <th>{t('causes.default')}</th>
              </tr>
            </thead>
            <tbody>
              {data.mappings.map((mapping) => (
                <tr key={mapping.feature} data-feature={mapping.feature} data-overridden={mapping.overridden}>
                  <td>
                    {featureLabel(i18n, mapping.feature)}
                    <div className="muted mono">{mapping.feature}</div>
                  </td>
                  <td>
                    {canEdit ? (
                      <select
                        name={`cause-${mapping.feature}`}
                        aria-label={t('causes.tag')}
                        value={mapping.overridden ? (mapping.tag ?? NONE) : DEFAULT}
                        disabled={busy === mapping.feature}
                        onChange={(event) => change(mapping, event.target.value)}
                      >
                        <option value={DEFAULT}>
                          {t('causes.useDefault', { tag: tagName(mapping.defaultTag) })}
                        </option>
                        {data.tags.map((tag) => (
                          <option key={tag} value={tag}>
                            {label('cause', tag)}
                          </option>
                        ))}
                        <option value={NONE}>{t('causes.none')}</option>
                      </select>
                    ) : (
                      tagName(mapping.tag)
                    )}
                    {mapping.overridden && <span className="tag">{t('causes.overridden')}</span>}
                  </td>
                  <td className="muted">{tagName(mapping.defaultTag)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
