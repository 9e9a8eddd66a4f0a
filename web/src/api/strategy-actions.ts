// The strategy library changes the dashboard makes: add from a template, edit, pause/resume/retire
// (strategies:edit), parameter overrides (campaigns:run) and the cause-tag mapping (strategies:edit).

import { apiRequest } from './client';
import type {
  CauseTag,
  CauseTagMapping,
  ParameterOverride,
  Parameters,
  Strategy,
  StrategyFields,
  StrategyStatus,
} from './retention-types';

const strategyPath = (id: string) => `/api/strategies/${encodeURIComponent(id)}`;

/** Creates a strategy from the template `templateId`, as it is. */
export function addStrategyFromTemplate(templateId: string): Promise<Strategy> {
  return apiRequest<Strategy>('POST', '/api/strategies', { templateId });
}

/** Saves edited fields of a strategy. */
export function editStrategy(id: string, fields: Partial<StrategyFields>): Promise<Strategy> {
  return apiRequest<Strategy>('PATCH', strategyPath(id), { fields });
}

/** Pauses, resumes (active) or retires a strategy; retired is final. */
export function setStrategyStatus(id: string, status: StrategyStatus): Promise<Strategy> {
  return apiRequest<Strategy>('PATCH', strategyPath(id), { status });
}

/** Replaces the strategy-wide parameter override (`{}` removes it). */
export function setStrategyOverride(
  id: string,
  parameters: Parameters,
): Promise<{ overrides: ParameterOverride[] }> {
  return apiRequest('PUT', `${strategyPath(id)}/overrides`, { parameters });
}

/** Maps `feature` to `tag` (null: names no cause), or back to the default rule. */
export function setCauseTag(feature: string, tag: CauseTag | null | 'default'): Promise<CauseTagMapping> {
  return apiRequest<CauseTagMapping>(
    'PUT',
    `/api/cause-tags/${encodeURIComponent(feature)}`,
    tag === 'default' ? { reset: true } : { tag },
  );
}
