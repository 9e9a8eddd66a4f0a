// The uplift models from GET /api/uplift: per action kind, a model learnt from measured campaigns and how
// well it ranks, or why there is none yet.

import type { UpliftModels } from './retention-types';
import { type ApiQuery, useApiQuery } from './use-api-query';

/** The current uplift models (the server rebuilds them only when campaigns, scores or data change). */
export function useUpliftQuery(): ApiQuery<UpliftModels> {
  return useApiQuery('/api/uplift');
}
