// A strategy's parameter overrides from GET /api/strategies/:id/overrides.

import type { ParameterOverride } from './retention-types';
import { type ApiQuery, useApiQuery } from './use-api-query';

/** The overrides of strategy `id`; asks again when `version` changes. */
export function useOverridesQuery(id: string, version = 0): ApiQuery<{ overrides: ParameterOverride[] }> {
  return useApiQuery(`/api/strategies/${encodeURIComponent(id)}/overrides`, version);
}
