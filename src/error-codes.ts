/**
 * The catalogue of every `extensions.code` a client can meet. Codes are a stable contract:
 * add new ones, never rename or reuse.
 */
export const ErrorCode = {
  // Raised by fields, by the gateway's own GatewayErrors.
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  RATE_LIMITED: 'RATE_LIMITED',
  UPSTREAM_REJECTED: 'UPSTREAM_REJECTED',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  UPSTREAM_BAD_RESPONSE: 'UPSTREAM_BAD_RESPONSE',
  /**
   * The AgentMC API generation the upstream speaks has no such operation (`host` on the agents
   * generation); another generation's server, or key, would have it.
   */
  NOT_OFFERED_BY_UPSTREAM: 'NOT_OFFERED_BY_UPSTREAM',
  /** More live subscriptions than the gateway allows, for this key or in all. */
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
  /** The client disconnected before the answer; it cannot see this code. */
  CANCELLED: 'CANCELLED',

  // Of a request as a whole, which never ran: refused before Yoga, by Yoga or by graphql-js.
  /**
   * A request the gateway cannot run: no operation to pick, a malformed body, a chunked POST
   * without `Content-Length` (HTTP 411, `request-body-limit.ts`).
   */
  BAD_REQUEST: 'BAD_REQUEST',
  /** A body over `MAX_REQUEST_BYTES` by its `Content-Length` (HTTP 413, `request-body-limit.ts`). */
  REQUEST_ENTITY_TOO_LARGE: 'REQUEST_ENTITY_TOO_LARGE',
  /** A document that does not parse, or has more tokens than `MAX_TOKENS` (set by Yoga). */
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  /** A document that does not validate, or is over a depth, alias, directive or cost limit (set by Yoga). */
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  /** With `TRUSTED_DOCUMENTS`: a hash that is not in the manifest. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** With `TRUSTED_DOCUMENTS`: a document sent as text, or no hash at all. */
  PERSISTED_QUERY_ONLY: 'PERSISTED_QUERY_ONLY',
  /** A bug in the gateway, masked by `maskError` (Yoga's code); the cause is logged, never shown. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
