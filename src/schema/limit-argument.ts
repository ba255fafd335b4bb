import { REQUESTED_SESSIONS_LIMIT } from '../agentmc-wire.js';
import { argumentOutOfRange } from '../errors.js';

/*
 * The `limit` argument of the requested-sessions list, as the API allows it, for the query
 * field and the subscription alike: one range, one default, one description.
 */

const { min, max, default: defaultLimit } = REQUESTED_SESSIONS_LIMIT;

/** The range as field descriptions name it: `1..100`. */
export const limitRange = `${min}..${max}`;

/** The options of `t.arg.int` for `limit`. */
export const limitArgument = {
  defaultValue: defaultLimit,
  description: `Maximum number of sessions to return, ${min} to ${max}. Null means the default, ${defaultLimit}.`,
} as const;

/** `limit` as the API allows it: null means the default; outside the range is BAD_USER_INPUT. */
export function checkedLimit(limit: number | null | undefined): number {
  const value = limit ?? defaultLimit;
  if (value < min || value > max) throw argumentOutOfRange('limit', value, min, max);
  return value;
}
