import { ENDED_SESSION_STATUSES, SIGNALS_LIMIT } from '../agentmc-wire.js';
import type { Caller } from '../caller.js';
import { ErrorCode, GatewayError } from '../errors.js';
import type { AgentMcClient } from '../upstream/client.js';
import type { DecimalId, RealtimeSignalList } from '../upstream/models.js';
import { ROUTES } from '../upstream/routes.js';
import type { FeedFailure } from './feed-events.js';
import type { PollerSettings } from './poller.js';

/* How a signals feed asks AgentMC, and what it makes of the answers and the failures. */

/** Rows per poll: the API's largest page, so a backlog drains in as few calls as it can. */
export const SIGNALS_PAGE = SIGNALS_LIMIT.max;
/** Signals a feed keeps for subscribers that join late (or fall behind): two and a half pages. */
export const SIGNAL_HISTORY = 500;

/**
 * Failures that will not heal by waiting: the stream ends with them. 401/403: the key; 404/410:
 * no such session for it; 409: the session refuses it; 422 and other 4xx: the request itself.
 */
const FINAL_CODES: ReadonlySet<string> = new Set([
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.FORBIDDEN,
  ErrorCode.NOT_FOUND,
  ErrorCode.CONFLICT,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.UPSTREAM_REJECTED,
]);
const ENDED: ReadonlySet<string> = new Set(ENDED_SESSION_STATUSES);

/** Which session to follow, as whom (hosts generation: `X-Agent-Id`). */
export interface SignalsScope {
  readonly sessionId: string;
  readonly agentId: string | undefined;
}

/**
 * Where a feed starts when no `afterId` was given: before the first signal, `after_id` omitted
 * (the documents' `after_id` is an integer of at least 0).
 */
export const FROM_START: DecimalId = '0';

/** One page of signals after `after` (FROM_START: from the start), with the session. */
export function fetchSignals(
  client: AgentMcClient,
  caller: Caller,
  scope: SignalsScope,
  after: DecimalId,
): Promise<RealtimeSignalList> {
  return client.call(
    caller,
    ROUTES.listAgentRealtimeSignals,
    {
      sessionId: scope.sessionId,
      afterId: after === FROM_START ? undefined : after,
      limit: SIGNALS_PAGE,
      excludeSender: undefined,
    },
    scope.agentId,
  );
}

/** Whether a page is the session's last: it has ended and no full page is left to drain. */
export function isLastPage(list: RealtimeSignalList): boolean {
  return list.signals.length < SIGNALS_PAGE && ENDED.has(list.session.status);
}

/** A failed poll as the event subscribers receive. */
export function pollFailure(error: unknown): FeedFailure {
  const failure =
    error instanceof GatewayError
      ? error
      : new GatewayError(
          'The AgentMC API could not be polled.',
          { code: ErrorCode.UPSTREAM_UNAVAILABLE },
          error,
        );
  return { kind: 'error', error: failure, final: FINAL_CODES.has(failure.code) };
}

/** The wait after the `failures`-th failure in a row: doubling, capped, never before Retry-After. */
export function backoffMs(settings: PollerSettings, failures: number, failure: GatewayError): number {
  const backoff = Math.min(settings.maxBackoffMs, settings.intervalMs * 2 ** failures);
  return Math.max(backoff, (failure.extensions.retryAfter ?? 0) * 1000);
}
