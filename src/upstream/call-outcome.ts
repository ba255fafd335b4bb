import type { Caller } from '../caller.js';
import { ErrorCode, GatewayError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { RealtimeSession } from './models.js';
import { RETRYABLE_UNSENT_CODES } from './retry-policy.js';

/*
 * What became of one upstream call, as metrics and logs name it, and, for a mutation, whether its
 * effect is known.
 */

/** Transport errors that prove the request never left: nothing was applied. */
const UNSENT_CODES: ReadonlySet<string> = new Set(RETRYABLE_UNSENT_CODES);

/**
 * A mutation that failed in transport after it may have been sent (a deadline, a reset) has an
 * unknown outcome: the client must read the session or its signals before trying again.
 */
export function markOutcome(error: GatewayError): void {
  const status = error.extensions.upstream?.status;
  // A 2xx whose body is unusable: AgentMC accepted the request, but its answer tells nothing.
  if (error.code === ErrorCode.UPSTREAM_BAD_RESPONSE && status !== undefined && status < 300) {
    error.extensions.outcome = 'UNKNOWN';
    return;
  }
  if (status !== undefined || error.extensions.circuitOpen) return;
  if (error.code !== ErrorCode.UPSTREAM_TIMEOUT && error.code !== ErrorCode.UPSTREAM_UNAVAILABLE) return;
  const cause = (error.originalError as { code?: unknown } | undefined)?.code;
  if (typeof cause === 'string' && UNSENT_CODES.has(cause)) return;
  error.extensions.outcome = 'UNKNOWN';
}

/** The `status` label of a finished call: the upstream's HTTP status, or what happened instead. */
export function statusLabel(error: unknown): string {
  if (!(error instanceof GatewayError)) return 'error';
  const status = error.extensions.upstream?.status;
  if (status !== undefined) return String(status);
  if (error.extensions.circuitOpen) return 'circuit_open';
  switch (error.code) {
    case ErrorCode.UPSTREAM_TIMEOUT:
      return 'timeout';
    case ErrorCode.CANCELLED:
      return 'cancelled';
    case ErrorCode.UPSTREAM_BAD_RESPONSE:
      return 'bad_response';
    default:
      return 'unreachable';
  }
}

/**
 * One line per mutation: which operation and what came of it, never its body (a payload may hold
 * anything) nor its key.
 */
export function logMutation(logger: Logger, route: string, caller: Caller, error?: unknown): void {
  const gatewayError = error instanceof GatewayError ? error : undefined;
  logger.info(
    {
      event: 'upstream_mutation',
      route,
      outcome: error === undefined ? 'ok' : (gatewayError?.code ?? 'error'),
      status: error === undefined ? 200 : gatewayError?.extensions.upstream?.status,
      unknownOutcome: gatewayError?.extensions.outcome === 'UNKNOWN' ? true : undefined,
      keyHash: caller.fingerprint,
      requestId: caller.requestId,
    },
    `AgentMC ${route}: ${error === undefined ? 'ok' : (gatewayError?.code ?? 'error')}`,
  );
}

/**
 * A read that succeeded, at debug level only (checked before anything is built: at info it costs
 * nothing), with every request that waited on it.
 */
export function logCall(
  logger: Logger,
  route: string,
  { fingerprint, requestId }: Caller,
  requestIds: readonly string[] | undefined,
): void {
  if (!logger.isLevelEnabled('debug')) return;
  logger.debug(
    {
      event: 'upstream_call',
      route,
      status: 200,
      keyHash: fingerprint,
      requestId,
      requestIds: requestIds === undefined ? undefined : [...requestIds],
    },
    `AgentMC ${route}: 200`,
  );
}

/**
 * A failed call, once (cancellations are the client's doing, not a failure). `requestIds`: every
 * request that waited on a shared call; `requestId` is the one sent upstream.
 */
export function logFailure(
  logger: Logger,
  error: GatewayError,
  { fingerprint, requestId }: Caller,
  requestIds?: readonly string[],
): void {
  if (error.code === ErrorCode.CANCELLED) return;
  const cause = (error.originalError as { code?: unknown } | undefined)?.code;
  logger.warn(
    {
      event: 'upstream_failure',
      code: error.code,
      status: error.extensions.upstream?.status,
      cause: typeof cause === 'string' ? cause : undefined,
      circuitOpen: error.extensions.circuitOpen,
      keyHash: fingerprint,
      requestId,
      requestIds: requestIds === undefined ? undefined : [...requestIds],
    },
    `AgentMC request failed: ${error.code}`,
  );
}

/** Distinct unknown statuses are logged once each; past this many we stop remembering. */
const MAX_REMEMBERED_UNKNOWN_STATUSES = 50;

/** Warns once per status AgentMC sends that this gateway does not know (served as UNKNOWN). */
export class UnknownStatusWarnings {
  readonly #seen = new Set<string>();

  constructor(private readonly logger: Logger) {}

  check(sessions: readonly RealtimeSession[]): void {
    for (const session of sessions) {
      if (session.status !== 'unknown') continue;
      const seen = this.#seen;
      if (seen.has(session.upstreamStatus) || seen.size >= MAX_REMEMBERED_UNKNOWN_STATUSES) continue;
      seen.add(session.upstreamStatus);
      this.logger.warn(
        { event: 'unknown_session_status', upstreamStatus: session.upstreamStatus },
        `AgentMC sent realtime session status ${JSON.stringify(session.upstreamStatus)}, ` +
          'which this gateway does not know; it is served as UNKNOWN (see upstreamStatus).',
      );
    }
  }
}
