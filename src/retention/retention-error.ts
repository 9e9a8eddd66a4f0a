// The one error the retention stages throw for a request they cannot carry out; the API maps `code` to a
// status (not found → 404, a state conflict → 409, bad input → 400) and `where` names the field at fault.

export type RetentionErrorCode =
  | 'strategy_not_found'
  | 'unknown_strategy'
  | 'template_not_found'
  | 'campaign_not_found'
  | 'strategy_retired'
  | 'strategy_not_active'
  | 'empty_target'
  | 'zero_budget'
  | 'invalid_strategy'
  | 'unknown_parameter';

/** A retention request that cannot be carried out, with what is wrong and where. */
export class RetentionError extends Error {
  override name = 'RetentionError';
  constructor(
    readonly code: RetentionErrorCode,
    message: string,
    /** The field at fault as a client writes it (`body.budget`, `path strategyId`), or null. */
    readonly where: string | null = null,
  ) {
    super(message);
  }
}
