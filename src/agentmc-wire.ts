/*
 * The AgentMC REST wire format, as its OpenAPI document describes it: paths, limits, statuses, the
 * error envelope and builders for the documented bodies. Dependency-free on purpose (it imports
 * nothing): the gateway's routes, the demo upstream, the test fake, the bench upstream and the soak
 * all speak it from this one description.
 */

/** Every path is relative to the base URL, which ends in `/api/v1`. */
export const API_PREFIX = '/api/v1';

/** The paths of the agents generation (agent keys, `mca_*`), by OpenAPI operationId. */
export const AGENTS_PATHS = {
  listAgentRealtimeRequestedSessions: '/agents/realtime/sessions/requested',
  getAgentInstructions: '/agents/instructions',
} as const;

/**
 * The paths of the hosts generation (host keys, `cc_*`; an agent chosen per call by `X-Agent-Id`
 * or the `agent_id` query parameter), by OpenAPI operationId. `GET /agents/instructions` is still
 * served there, but a host key alone does not name an agent.
 */
export const HOSTS_PATHS = {
  listAgentRealtimeRequestedSessions: '/hosts/realtime/sessions/requested',
  getAgentInstructions: '/agents/instructions',
} as const;

/** The header (and query parameter) by which a host key acts as one of its agents, an integer ≥ 1. */
export const AGENT_ID_HEADER = 'x-agent-id';
export const AGENT_ID_QUERY = 'agent_id';

/** Where a server publishes its OpenAPI document, relative to its origin (not to `/api/v1`). */
export const OPENAPI_DOCUMENT_PATH = '/api/openapi.json';

/**
 * A minimal OpenAPI document that lists `paths` (relative to `/api/v1`), as a stand-in server
 * publishes it; the gateway reads only the path names.
 */
export function openApiDocument(paths: readonly string[]): { openapi: string; info: object; paths: object } {
  return {
    openapi: '3.0.0',
    info: { title: 'AgentMC API', version: 'v1' },
    paths: Object.fromEntries(paths.map((path) => [path, { get: {} }])),
  };
}

/**
 * What a server answers for a path it has no route for: the framework's own 404 (Laravel's JSON
 * rendering), not the API's error envelope. This is how a route miss differs from a documented 404.
 */
export function routeMissBody(path: string): { message: string } {
  return { message: `The route ${path.replace(/^\//, '')} could not be found.` };
}

/** The range the API documents for `limit` on the requested-sessions list. */
export const REQUESTED_SESSIONS_LIMIT = { min: 1, max: 100, default: 20 } as const;

/** The lifecycle statuses the API documents for a realtime session, in its own spelling. */
export const SESSION_STATUSES = ['requested', 'claimed', 'active', 'closed', 'failed', 'expired'] as const;
export type WireSessionStatus = (typeof SESSION_STATUSES)[number];

/** Every non-2xx answer: `{ error: { code, message, details? } }`; 422 adds `details.fields`. */
export interface WireErrorEnvelope {
  error: {
    code: string;
    message: string;
    details?: { fields?: Record<string, string[]> } & Record<string, unknown>;
  };
}

export function errorEnvelope(
  code: string,
  message: string,
  details?: WireErrorEnvelope['error']['details'],
): WireErrorEnvelope {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** The same paths as they arrive at an AgentMC server: below `/api/v1`, by OpenAPI operationId. */
export const WIRE_PATHS = {
  listAgentRealtimeRequestedSessions: `${API_PREFIX}${AGENTS_PATHS.listAgentRealtimeRequestedSessions}`,
  getAgentInstructions: `${API_PREFIX}${AGENTS_PATHS.getAgentInstructions}`,
} as const;

/**
 * The `limit` a requested-sessions request asks for, as the API reads its query parameter: the
 * default when absent, `null` when the API would refuse it (422).
 */
export function requestedSessionsLimit(raw: string | null): number | null {
  if (raw === null) return REQUESTED_SESSIONS_LIMIT.default;
  const limit = Number(raw);
  return Number.isInteger(limit) &&
    limit >= REQUESTED_SESSIONS_LIMIT.min &&
    limit <= REQUESTED_SESSIONS_LIMIT.max
    ? limit
    : null;
}

/** The documented error answers these stand-ins give, each with its status, code and a message. */
export const WIRE_ERRORS = {
  unauthenticated: { status: 401, code: 'unauthenticated', message: 'Missing or empty X-Api-Key.' },
  notFound: { status: 404, code: 'not_found', message: 'Not found.' },
  validationFailed: { status: 422, code: 'validation.failed', message: 'Validation failed.' },
} as const;
export type WireErrorKind = keyof typeof WIRE_ERRORS;

/** One error answer: its status and its envelope, `message` replacing the catalogue's. */
export function wireError(
  kind: WireErrorKind,
  message: string = WIRE_ERRORS[kind].message,
  details?: WireErrorEnvelope['error']['details'],
): { status: number; body: WireErrorEnvelope } {
  const { status, code } = WIRE_ERRORS[kind];
  return { status, body: errorEnvelope(code, message, details) };
}

/** The 422 the API gives for a `limit` outside its range, naming the field. */
export function limitOutOfRange(): { status: number; body: WireErrorEnvelope } {
  const { min, max } = REQUESTED_SESSIONS_LIMIT;
  return wireError('validationFailed', undefined, {
    fields: { limit: [`The limit must be between ${min} and ${max}.`] },
  });
}

/** An RFC 3339 timestamp, or null where the API documents one. */
type WireTimestamp = string | null;

/** `AgentRealtimeSession.socket`: where the browser and the agent meet. */
export type WireSocket = {
  connection: {
    driver: string;
    key: string;
    cluster: string;
    host: string;
    port: number;
    scheme: string;
    path: string;
  };
  channel: string;
  event: string;
  auth_endpoint: string;
};

/**
 * One `AgentRealtimeSession` exactly as the API sends it: snake_case, every key present. A type,
 * not an interface, so a session is also a `Record<string, unknown>`.
 */
export type WireSession = {
  id: number;
  team_id: number;
  agent_id: number;
  requested_by_user_id: number | null;
  /** One of SESSION_STATUSES, or one the API added later (the gateway must cope). */
  status: WireSessionStatus | (string & {});
  claimed_at: WireTimestamp;
  opened_at: WireTimestamp;
  closed_at: WireTimestamp;
  expires_at: WireTimestamp;
  last_browser_heartbeat_at: WireTimestamp;
  last_agent_heartbeat_at: WireTimestamp;
  meta: Record<string, unknown> | null;
  /** Optional in the document: present only while a session can be joined. */
  socket?: WireSocket;
  created_at: WireTimestamp;
  updated_at: WireTimestamp;
};

/**
 * A documented session from a few overrides: every other key present, with the API's nulls (no
 * user, no timestamps, no meta, no socket), status `requested`, team and agent 1.
 */
export function wireSession(overrides: Partial<WireSession> = {}): WireSession {
  const { socket, created_at = null, updated_at = null, ...fields } = overrides;
  return {
    id: 1,
    team_id: 1,
    agent_id: 1,
    requested_by_user_id: null,
    status: 'requested',
    claimed_at: null,
    opened_at: null,
    closed_at: null,
    expires_at: null,
    last_browser_heartbeat_at: null,
    last_agent_heartbeat_at: null,
    meta: null,
    ...fields,
    // Where the API puts it: after meta, before the record's own timestamps.
    ...(socket === undefined ? {} : { socket }),
    created_at,
    updated_at,
  };
}

/** A socket block for session `id`, in the shape the API documents; `overrides` replace its parts. */
export function wireSocket(id: number, overrides: Partial<WireSocket> = {}): WireSocket {
  return {
    connection: {
      driver: 'reverb',
      key: 'app-key',
      cluster: 'eu',
      host: 'ws.agentmc.example',
      port: 443,
      scheme: 'https',
      path: '/app',
    },
    channel: `private-realtime-session.${id}`,
    event: 'realtime.signal',
    auth_endpoint: 'https://agentmc.example/broadcasting/auth',
    ...overrides,
  };
}

/** The 200 body of `listAgentRealtimeRequestedSessions`. */
export function requestedSessionsBody(sessions: WireSession[]): { data: WireSession[] } {
  return { data: sessions };
}

/** `AgentInstructionsResponse`: the agent's identity and its instruction bundle. */
export type WireInstructions = {
  ok: boolean;
  changed: boolean;
  bundle_version: string;
  generated_at: string;
  defaults: { heartbeat_interval_seconds: number };
  agent: { id: number };
  files: { id: string; path: string; content: string; sha256: string }[];
};

/** The 200 body of `getAgentInstructions` for agent `agentId`; `overrides` replace the rest. */
export function wireInstructions(
  agentId: number,
  overrides: Partial<Omit<WireInstructions, 'agent'>> = {},
): WireInstructions {
  return {
    ok: true,
    changed: true,
    bundle_version: 'bundle_2fa07fcadd6575cc',
    generated_at: '2026-02-25T14:10:00Z',
    defaults: { heartbeat_interval_seconds: 300 },
    agent: { id: agentId },
    files: [],
    ...overrides,
  };
}
