// The customer segments to filter by, from GET /api/segments (distinct segments of the profiles).

import type { SegmentList } from './types';
import { useApiQuery } from './use-api-query';

/** The segments, sorted; empty while loading or when the answer was an error. */
export function useSegmentsQuery(): string[] {
  const query = useApiQuery<SegmentList>('/api/segments');
  return query.status === 'done' ? query.data.segments.map((entry) => entry.segment) : [];
}
