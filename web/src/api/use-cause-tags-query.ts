// The cause tags and the feature → cause-tag mapping from GET /api/cause-tags.

import type { CauseTagList } from './retention-types';
import { type ApiQuery, useApiQuery } from './use-api-query';

/** The tags and mappings; asks again when `version` changes. */
export function useCauseTagsQuery(version = 0): ApiQuery<CauseTagList> {
  return useApiQuery('/api/cause-tags', version);
}
