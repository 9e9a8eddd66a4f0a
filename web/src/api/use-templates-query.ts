// The built-in strategy templates from GET /api/strategies/templates.

import type { StrategyTemplate } from './retention-types';
import { type ApiQuery, useApiQuery } from './use-api-query';

/** Every template, of every industry. */
export function useTemplatesQuery(): ApiQuery<{ templates: StrategyTemplate[] }> {
  return useApiQuery('/api/strategies/templates');
}
