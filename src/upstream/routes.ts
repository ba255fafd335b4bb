import { AGENTS_PATHS, HOSTS_PATHS, sessionPath, type WireSignalSender } from '../agentmc-wire.js';
import type { ApiGeneration } from './api-generation.js';
import {
  parseCreatedSignal,
  parseSessionResponse,
  parseSignalList,
  parseSocketAuthorization,
} from './lifecycle-payloads.js';
import type {
  AgentIdentity,
  RealtimeSession,
  RealtimeSignal,
  RealtimeSignalList,
  SocketAuthorization,
} from './models.js';
import type { ParseResult } from './payload-validator.js';
import { parseAgentIdentity, parseRequestedSessions } from './payloads.js';

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
  /** The JSON body to send (POST), in the generation the call goes to; none when absent. */
  readonly body?: (params: Params, generation: ApiGeneration) => unknown;
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

/** Arguments already checked by the schema (ids are positive integers, as decimal strings). */
export interface SignalsParams {
  readonly sessionId: string;
  readonly afterId: string | undefined;
  readonly limit: number;
  /** Sent upstream by the agents generation only; the gateway filters on the hosts one. */
  readonly excludeSender: WireSignalSender | undefined;
}
export interface ClaimParams {
  readonly sessionId: string;
  /** Required by the hosts generation; never sent to the agents one. */
  readonly ownerToken: string | undefined;
}
export interface SignalParams {
  readonly sessionId: string;
  readonly type: string;
  readonly payload: unknown;
}
export interface CloseParams {
  readonly sessionId: string;
  readonly status: 'closed' | 'failed' | undefined;
  readonly reason: string | undefined;
  /** Absent: not sent; null: sent as null. */
  readonly payload: unknown;
}
export interface SocketAuthParams {
  readonly sessionId: string;
  readonly socketId: string;
  readonly channelName: string;
}

function signalsQuery({ afterId, limit }: SignalsParams): string {
  return afterId === undefined ? `?limit=${limit}` : `?after_id=${afterId}&limit=${limit}`;
}

/** A body with the fields that are set, in the API's spelling. */
function present(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
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

  /** Signals after `after_id`, and the session; also how one session is read (`limit=1`). */
  listAgentRealtimeSignals: {
    operationId: 'listAgentRealtimeSignals',
    method: 'GET',
    paths: {
      agents: (params) =>
        `${sessionPath(AGENTS_PATHS.listAgentRealtimeSignals, params.sessionId)}${signalsQuery(params)}${
          params.excludeSender === undefined ? '' : `&exclude_sender=${params.excludeSender}`
        }`,
      hosts: (params) =>
        `${sessionPath(HOSTS_PATHS.listAgentRealtimeSignals, params.sessionId)}${signalsQuery(params)}`,
    },
    parse: parseSignalList,
    idempotent: true,
    sessionsOf: (list) => [list.session],
  } satisfies Route<SignalsParams, RealtimeSignalList>,

  claimAgentRealtimeSession: {
    operationId: 'claimAgentRealtimeSession',
    method: 'POST',
    paths: {
      agents: ({ sessionId }) => sessionPath(AGENTS_PATHS.claimAgentRealtimeSession, sessionId),
      hosts: ({ sessionId }) => sessionPath(HOSTS_PATHS.claimAgentRealtimeSession, sessionId),
    },
    body: ({ ownerToken }, generation) => (generation === 'hosts' ? { owner_token: ownerToken } : {}),
    parse: parseSessionResponse,
    idempotent: false,
    sessionsOf: (session) => [session],
  } satisfies Route<ClaimParams, RealtimeSession>,

  createAgentRealtimeSignal: {
    operationId: 'createAgentRealtimeSignal',
    method: 'POST',
    paths: {
      agents: ({ sessionId }) => sessionPath(AGENTS_PATHS.createAgentRealtimeSignal, sessionId),
      hosts: ({ sessionId }) => sessionPath(HOSTS_PATHS.createAgentRealtimeSignal, sessionId),
    },
    body: ({ type, payload }) => ({ type, payload: payload ?? null }),
    parse: parseCreatedSignal,
    idempotent: false,
    sessionsOf: (signal) => [signal.session],
  } satisfies Route<SignalParams, RealtimeSignal>,

  closeAgentRealtimeSession: {
    operationId: 'closeAgentRealtimeSession',
    method: 'POST',
    paths: {
      agents: ({ sessionId }) => sessionPath(AGENTS_PATHS.closeAgentRealtimeSession, sessionId),
      hosts: ({ sessionId }) => sessionPath(HOSTS_PATHS.closeAgentRealtimeSession, sessionId),
    },
    body: ({ status, reason, payload }) => present({ status, reason, payload }),
    parse: parseSessionResponse,
    idempotent: false,
    sessionsOf: (session) => [session],
  } satisfies Route<CloseParams, RealtimeSession>,

  authenticateAgentRealtimeSocket: {
    operationId: 'authenticateAgentRealtimeSocket',
    method: 'POST',
    paths: {
      agents: ({ sessionId }) => sessionPath(AGENTS_PATHS.authenticateAgentRealtimeSocket, sessionId),
      hosts: ({ sessionId }) => sessionPath(HOSTS_PATHS.authenticateAgentRealtimeSocket, sessionId),
    },
    body: ({ socketId, channelName }) => ({ socket_id: socketId, channel_name: channelName }),
    parse: parseSocketAuthorization,
    idempotent: false,
  } satisfies Route<SocketAuthParams, SocketAuthorization>,

  /** The host watch channel (newly requested sessions of every agent): hosts generation only. */
  authenticateHostRealtimeSocket: {
    operationId: 'authenticateHostRealtimeSocket',
    method: 'POST',
    paths: { hosts: () => HOSTS_PATHS.authenticateHostRealtimeSocket },
    body: ({ socketId, channelName }) => ({ socket_id: socketId, channel_name: channelName }),
    parse: parseSocketAuthorization,
    idempotent: false,
  } satisfies Route<Omit<SocketAuthParams, 'sessionId'>, SocketAuthorization>,
} as const;
