// Over 250 lines on purpose: every error the gateway raises is built here, beside the one
// upstream mapping, so that codes, messages and extensions stay one catalogue.
import { GraphQLError } from 'graphql';
import { maskError as maskUnexpectedError, type MaskError } from 'graphql-yoga';
import { ErrorCode } from './error-codes.js';

export { ErrorCode } from './error-codes.js';

/** What the upstream said about a failure, reduced to an allowlist that is safe to show. */
export interface UpstreamErrorInfo {
  status: number;
  code?: string;
  message?: string;
  requestId?: string;
}

export interface GatewayErrorExtensions {
  code: ErrorCode;
  upstream?: UpstreamErrorInfo;
  /** Seconds to wait before retrying, for RATE_LIMITED and UPSTREAM_UNAVAILABLE. */
  retryAfter?: number;
  /** Per-field validation messages, for BAD_USER_INPUT raised by the upstream (422). */
  fields?: Record<string, string[]>;
  /** Why a response was unusable, for UPSTREAM_BAD_RESPONSE; one of a fixed set of phrases. */
  reason?: string;
  /** True when the circuit breaker answered without calling the upstream. */
  circuitOpen?: boolean;
  /**
   * `UNKNOWN` on a mutation that failed after it may have reached AgentMC (a deadline, a reset):
   * whether it took effect can only be learnt by reading the session or its signals.
   */
  outcome?: 'UNKNOWN';
  /** The argument at fault, for BAD_USER_INPUT raised by the gateway. */
  argumentName?: string;
  [key: string]: unknown;
}

/**
 * Every error this gateway raises on purpose. It keeps the name `GraphQLError`, which is what
 * tells Yoga's error masking that the message is safe to show; anything else is masked.
 */
export class GatewayError extends GraphQLError {
  declare readonly extensions: GatewayErrorExtensions;
  /**
   * A 404 from a path the server has no route for (no API error envelope): a sign that it speaks
   * another API generation. Internal: not an extension, never shown.
   */
  routeMiss = false;

  constructor(message: string, extensions: GatewayErrorExtensions, cause?: unknown) {
    super(message, { extensions, originalError: cause instanceof Error ? cause : undefined });
  }

  get code(): ErrorCode {
    return this.extensions.code;
  }
}

/** The one table from an upstream HTTP status to our code; statuses not listed fall to ranges. */
const codeByStatus: Readonly<Record<number, MessageCode>> = {
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  // Gone: the AgentMC SDK treats it as a 404 that will not come back.
  410: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
  422: ErrorCode.BAD_USER_INPUT,
  429: ErrorCode.RATE_LIMITED,
};

const messageByCode = {
  UNAUTHENTICATED: 'The AgentMC API rejected the API key. Check the key sent in X-Api-Key.',
  FORBIDDEN: 'The AgentMC API refused this API key access (to this agent, or this session).',
  NOT_FOUND: 'The AgentMC API found no such agent or session for this API key (or it is gone).',
  CONFLICT: 'The AgentMC API reported a conflict with the current state of the session.',
  BAD_USER_INPUT: 'The AgentMC API rejected the request as invalid.',
  BAD_REQUEST: 'The request cannot be run.',
  RATE_LIMITED: 'The AgentMC API is rate limiting this API key.',
  UPSTREAM_REJECTED: 'The AgentMC API rejected the request.',
  UPSTREAM_UNAVAILABLE: 'The AgentMC API is unavailable.',
  UPSTREAM_TIMEOUT: 'The AgentMC API did not answer in time.',
  UPSTREAM_BAD_RESPONSE: 'The AgentMC API sent a response the gateway cannot use.',
  CANCELLED: 'The request was cancelled by the client.',
  TOO_MANY_SUBSCRIPTIONS: 'Too many live subscriptions.',
  NOT_OFFERED_BY_UPSTREAM: 'The AgentMC API this gateway calls does not offer this.',
} as const satisfies Partial<Record<ErrorCode, string>>;
/** The codes of the gateway's own errors, each with the first sentence of its messages. */
type MessageCode = keyof typeof messageByCode;

export function codeForUpstreamStatus(status: number): MessageCode {
  return (
    codeByStatus[status] ?? (status >= 500 ? ErrorCode.UPSTREAM_UNAVAILABLE : ErrorCode.UPSTREAM_REJECTED)
  );
}

export interface UpstreamFailure {
  status: number;
  code?: string;
  message?: string;
  requestId?: string;
  retryAfter?: number;
  fields?: Record<string, string[]>;
}

/** The one mapping from an upstream error response (status 4xx/5xx) to a GraphQL error. */
export function errorFromUpstreamResponse(failure: UpstreamFailure): GatewayError {
  const code = codeForUpstreamStatus(failure.status);
  const upstream: UpstreamErrorInfo = { status: failure.status };
  if (failure.code !== undefined) upstream.code = failure.code;
  if (failure.message !== undefined) upstream.message = failure.message;
  if (failure.requestId !== undefined) upstream.requestId = failure.requestId;

  const extensions: GatewayErrorExtensions = { code, upstream };
  let hint = '';
  if (code === ErrorCode.RATE_LIMITED || code === ErrorCode.UPSTREAM_UNAVAILABLE) {
    if (failure.retryAfter !== undefined) extensions.retryAfter = failure.retryAfter;
    hint = failure.retryAfter !== undefined ? ` Retry after ${failure.retryAfter} s.` : ' Retry later.';
  }
  const message = `${messageByCode[code]}${hint} (upstream status ${failure.status})`;
  if (code === ErrorCode.BAD_USER_INPUT && failure.fields !== undefined) {
    extensions.fields = failure.fields;
  }
  return new GatewayError(message, extensions);
}

/** Why an answer was unusable; a closed set so no upstream text ever becomes a message. */
export type BadResponseReason =
  | 'redirect'
  | 'unexpected status'
  | 'empty body'
  | 'not JSON'
  | 'unexpected content type'
  | 'body too large'
  | 'invalid shape';

export function badUpstreamResponse(
  reason: BadResponseReason,
  status: number,
  detail?: { path?: string; why?: string | undefined; requestId?: string },
): GatewayError {
  // `why` is the gateway's own text (payloads.ts), never upstream's.
  const where = detail?.path ? ` at ${detail.path}${detail.why === undefined ? '' : ` (${detail.why})`}` : '';
  const upstream: UpstreamErrorInfo = { status };
  if (detail?.requestId !== undefined) upstream.requestId = detail.requestId;
  return new GatewayError(`${messageByCode.UPSTREAM_BAD_RESPONSE} Reason: ${reason}${where}.`, {
    code: ErrorCode.UPSTREAM_BAD_RESPONSE,
    reason,
    upstream,
  });
}

export function upstreamTimeout(deadlineMs: number, phase: string, cause: unknown): GatewayError {
  return new GatewayError(
    `${messageByCode.UPSTREAM_TIMEOUT} No ${phase} within ${deadlineMs} ms.`,
    { code: ErrorCode.UPSTREAM_TIMEOUT },
    cause,
  );
}

export function upstreamUnreachable(cause: unknown): GatewayError {
  return new GatewayError(
    `${messageByCode.UPSTREAM_UNAVAILABLE} It could not be reached. Retry later.`,
    { code: ErrorCode.UPSTREAM_UNAVAILABLE },
    cause,
  );
}

export function circuitOpen(retryAfter: number): GatewayError {
  return new GatewayError(
    `${messageByCode.UPSTREAM_UNAVAILABLE} After repeated failures the gateway stops calling it for a while. Retry after ${retryAfter} s.`,
    { code: ErrorCode.UPSTREAM_UNAVAILABLE, circuitOpen: true, retryAfter },
  );
}

/** The client went away; nobody reads this answer, but the upstream call stops with it. */
export function requestCancelled(cause: unknown): GatewayError {
  return new GatewayError('The request was cancelled by the client.', { code: ErrorCode.CANCELLED }, cause);
}

export function tooManySubscriptions(scope: 'key' | 'gateway'): GatewayError {
  return new GatewayError(
    scope === 'key'
      ? `${messageByCode.TOO_MANY_SUBSCRIPTIONS} This API key has reached its limit; close one first.`
      : `${messageByCode.TOO_MANY_SUBSCRIPTIONS} The gateway has reached its limit; retry later.`,
    { code: ErrorCode.TOO_MANY_SUBSCRIPTIONS },
  );
}

export function missingApiKey(): GatewayError {
  return new GatewayError(
    'No API key: send your AgentMC key (a host key cc_… or an agent key mca_…) in the X-Api-Key header (or Authorization: Bearer <key>).',
    { code: ErrorCode.UNAUTHENTICATED },
  );
}

export function malformedApiKey(header: string): GatewayError {
  return new GatewayError(
    `The API key in ${header} is malformed: it must be one token of 1 to 256 visible ASCII characters, sent once.`,
    { code: ErrorCode.UNAUTHENTICATED },
  );
}

export function anotherAgentForbidden(): GatewayError {
  return new GatewayError(
    'This API key authenticates a different agent: the gateway serves only the data of the agent the key belongs to.',
    { code: ErrorCode.FORBIDDEN },
  );
}

export function argumentOutOfRange(
  argumentName: string,
  value: number,
  min: number,
  max: number,
): GatewayError {
  return new GatewayError(`Argument "${argumentName}" must be between ${min} and ${max}; got ${value}.`, {
    code: ErrorCode.BAD_USER_INPUT,
    argumentName,
    min,
    max,
  });
}

/**
 * Yoga's masking policy, extended: an error that is, or wraps, a GatewayError was raised on
 * purpose and is shown as it is (its cause stays in `originalError`, for logs only). Anything
 * else is a bug and is masked as INTERNAL_SERVER_ERROR, without stack or cause, in every mode.
 */
export const maskError: MaskError = (error, message) => {
  for (let current: unknown = error; current instanceof GraphQLError; current = current.originalError) {
    if (current instanceof GatewayError) return error as GraphQLError;
  }
  return maskUnexpectedError(error, message, false);
};

/** An operation the upstream's API generation lacks (see `routes.ts`). */
export function notOfferedByUpstream(what: string, generation: string): GatewayError {
  return new GatewayError(
    `${messageByCode.NOT_OFFERED_BY_UPSTREAM} ${what} needs the hosts generation of the AgentMC API ` +
      `(host keys cc_…, /hosts/realtime/…); the upstream speaks the ${generation} generation. ` +
      'Point the gateway at a hosts-generation server, or set AGENTMC_API_GENERATION if it guessed wrong.',
    { code: ErrorCode.NOT_OFFERED_BY_UPSTREAM, apiGeneration: generation },
  );
}

/** A host key acts for one of its agents: `agent` must name it. */
export function agentIdRequired(argumentName: string): GatewayError {
  return new GatewayError(
    `A host key acts for one of the host's agents: pass the agent id (argument "${argumentName}", ` +
      'as in agent(id: "42"); the hosts generation of the AgentMC API sends it as X-Agent-Id). ' +
      'For the whole host, query host.',
    { code: ErrorCode.BAD_USER_INPUT, argumentName },
  );
}

/** Agent ids are integers from 1, as the API documents `X-Agent-Id`. */
export function malformedAgentId(argumentName: string): GatewayError {
  return new GatewayError(
    `Argument "${argumentName}" must be an agent id: a positive integer such as "42".`,
    { code: ErrorCode.BAD_USER_INPUT, argumentName },
  );
}

/** An argument the API's document would refuse (422): refused first, naming it and the rule. */
export function invalidArgument(argumentName: string, rule: string): GatewayError {
  return new GatewayError(`Argument "${argumentName}" ${rule}.`, {
    code: ErrorCode.BAD_USER_INPUT,
    argumentName,
  });
}

/** A claim AgentMC refused (409) that is not the caller's own: the session's status says why. */
export function claimedByAnother(conflict: GatewayError, sessionStatus: string): GatewayError {
  const why =
    sessionStatus === 'claimed' || sessionStatus === 'active'
      ? `it is ${sessionStatus} by another owner (its claim_owner_token is not this ownerToken)`
      : `it is ${sessionStatus}`;
  return new GatewayError(
    `The session cannot be claimed: ${why}. (upstream status ${conflict.extensions.upstream?.status ?? 409})`,
    { ...conflict.extensions, sessionStatus: sessionStatus.toUpperCase() },
    conflict.originalError ?? conflict,
  );
}
