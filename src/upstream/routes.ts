import { AGENTS_PATHS } from '../agentmc-wire.js';
import type { AgentIdentity, RealtimeSession } from './models.js';
import { parseAgentIdentity, parseRequestedSessions, type ParseResult } from './payloads.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One AgentMC operation, as data: the client has one way to call them all (`AgentMcClient#call`),
 * so a new operation is a new row of `ROUTES`, not a new method.
 */
export interface Route<Params, Value> {
  /** The OpenAPI operationId: the `route` label of the upstream metrics. */
  readonly operationId: string;
  readonly method: HttpMethod;
  /** The path and query string, relative to the base URL (which ends in `/api/v1`). */
  readonly path: (params: Params) => string;
  /** Validates a 200 body into what the schema serves. */
  readonly parse: (json: unknown) => ParseResult<Value>;
  /**
   * Safe to send twice. Only idempotent calls are retried, and only they are shared in flight
   * among concurrent identical callers; any other call is sent once, for one caller.
   */
  readonly idempotent: boolean;
  /** The sessions an answer holds, which the client checks for statuses it does not know. */
  readonly sessionsOf?: (value: Value) => readonly RealtimeSession[];
}

/** The operations the gateway calls, by OpenAPI operationId. */
export const ROUTES = {
  listAgentRealtimeRequestedSessions: {
    operationId: 'listAgentRealtimeRequestedSessions',
    method: 'GET',
    path: ({ limit }) => `${AGENTS_PATHS.listAgentRealtimeRequestedSessions}?limit=${limit}`,
    parse: parseRequestedSessions,
    idempotent: true,
    sessionsOf: (sessions) => sessions,
  } satisfies Route<{ limit: number }, RealtimeSession[]>,

  /** The agent the key authenticates: the instruction bundle names it. */
  getAgentInstructions: {
    operationId: 'getAgentInstructions',
    method: 'GET',
    path: () => AGENTS_PATHS.getAgentInstructions,
    parse: parseAgentIdentity,
    idempotent: true,
  } satisfies Route<void, AgentIdentity>,
} as const;
