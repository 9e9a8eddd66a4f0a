// The company's strategies from GET /api/strategies, optionally of one status.

import type { Strategy } from './retention-types';
import { type ApiQuery, useApiQuery, withQuery } from './use-api-query';

/** The strategies (by priority); asks again when `version` changes. */
export function useStrategiesQuery(status = '', version = 0): ApiQuery<{ strategies: Strategy[] }> {
  return useApiQuery(withQuery('/api/strategies', { status }), version);
}
