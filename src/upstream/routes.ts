import { AGENTS_PATHS, HOSTS_PATHS } from '../agentmc-wire.js';
import type { ApiGeneration } from './api-generation.js';
import type { AgentIdentity, RealtimeSession } from './models.js';
import { parseAgentIdentity, parseRequestedSessions, type ParseResult } from './payloads.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One AgentMC operation, as data: the client has one way to call them all (`AgentMcClient#call`),
 * so a new operation is a new row of `ROUTES`, not a new method.
 */
export interface Route<Params, Value> {
  /** The OpenAPI operationId (the same in both generations): the `route` label of the metrics. */
  readonly operationId: string;
  readonly method: HttpMethod;
  /**
   * The path and query string in each generation that offers the operation, relative to the base
   * URL (which ends in `/api/v1`). A generation missing here does not offer it.
   */
  readonly paths: Readonly<Partial<Record<ApiGeneration, (params: Params) => string>>>;
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

/**
 * Which requested sessions: one agent's (on the hosts generation `agentId` goes as `X-Agent-Id`;
 * on the agents generation the key is the agent and `agentId` is undefined), or, with a host key
 * and no agent, the whole host's.
 */
export interface RequestedSessionsScope {
  readonly agentId: string | undefined;
  readonly limit: number;
}

/** The operations the gateway calls, by OpenAPI operationId. */
export const ROUTES = {
  /** Hosts generation: one agent's list with `X-Agent-Id`, the whole host's without. */
  listAgentRealtimeRequestedSessions: {
    operationId: 'listAgentRealtimeRequestedSessions',
    method: 'GET',
    paths: {
      agents: ({ limit }) => `${AGENTS_PATHS.listAgentRealtimeRequestedSessions}?limit=${limit}`,
      hosts: ({ limit }) => `${HOSTS_PATHS.listAgentRealtimeRequestedSessions}?limit=${limit}`,
    },
    parse: parseRequestedSessions,
    idempotent: true,
    sessionsOf: (sessions) => sessions,
  } satisfies Route<{ limit: number }, RealtimeSession[]>,

  /**
   * The agent an agent key authenticates: the instruction bundle names it. A host key alone names
   * no agent, so the gateway asks this only on the agents generation.
   */
  getAgentInstructions: {
    operationId: 'getAgentInstructions',
    method: 'GET',
    paths: { agents: () => AGENTS_PATHS.getAgentInstructions },
    parse: parseAgentIdentity,
    idempotent: true,
  } satisfies Route<void, AgentIdentity>,
} as const;
