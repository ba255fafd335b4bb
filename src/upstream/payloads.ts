import { SESSION_STATUSES } from '../agentmc-wire.js';
import { plainJson } from './exact-json.js';
import {
  validator,
  failure,
  idText,
  recordId,
  timestamp,
  toUtcTimestamp,
  type ParseResult,
  type PayloadId,
} from './payload-validator.js';
import type {
  AgentIdentity,
  KnownSessionStatus,
  RealtimeSession,
  RealtimeSocketConnection,
} from './models.js';

// What the validators produce, importable from here too (tests name `RealtimeSession` so).
export type {
  AgentIdentity,
  KnownSessionStatus,
  RealtimeSession,
  RealtimeSocket,
  RealtimeSocketConnection,
  SessionStatus,
  UtcTimestamp,
} from './models.js';

/*
 * Validators for what the AgentMC API sends, written from its OpenAPI document
 * (`AgentRealtimeRequestedSessionsResponse`, `AgentRealtimeSession`, `AgentInstructionsResponse`),
 * turning them into the camelCase types of `models.ts`. Unknown fields are dropped; documented
 * nulls stay null; ids become their decimal strings, exactly (`exact-json.ts` reads the body).
 * Where the gateway takes less, or more, than the document, and why: test/payload-strictness.test.ts.
 * Error bodies (`ApiError`) are read, and screened, by `error-envelope.ts`.
 */

const knownStatuses: ReadonlySet<string> = new Set(SESSION_STATUSES);

const socketPayloadSchema = {
  type: 'object',
  required: ['connection', 'channel', 'event', 'auth_endpoint'],
  properties: {
    connection: {
      type: 'object',
      required: ['driver', 'key', 'cluster', 'host', 'port', 'scheme', 'path'],
      properties: {
        driver: { type: 'string' },
        key: { type: 'string' },
        cluster: { type: 'string' },
        host: { type: 'string' },
        port: { graphqlInt: true },
        scheme: { type: 'string' },
        path: { type: 'string' },
      },
    },
    channel: { type: 'string' },
    event: { type: 'string' },
    auth_endpoint: { type: 'string' },
  },
} as const;

export const sessionPayloadSchema = {
  type: 'object',
  required: [
    'id',
    'team_id',
    'agent_id',
    'requested_by_user_id',
    'status',
    'claimed_at',
    'opened_at',
    'closed_at',
    'expires_at',
    'last_browser_heartbeat_at',
    'last_agent_heartbeat_at',
    'meta',
    'created_at',
    'updated_at',
  ],
  properties: {
    id: recordId,
    team_id: recordId,
    agent_id: recordId,
    requested_by_user_id: { recordId: 'nullable' },
    status: { type: 'string', minLength: 1, maxLength: 64 },
    claimed_at: timestamp,
    opened_at: timestamp,
    closed_at: timestamp,
    expires_at: timestamp,
    last_browser_heartbeat_at: timestamp,
    last_agent_heartbeat_at: timestamp,
    // PHP serialises an empty associative array as `[]`; it is read as the empty object it means.
    meta: { anyOf: [{ type: 'object' }, { type: 'array', maxItems: 0 }, { type: 'null' }] },
    socket: socketPayloadSchema,
    created_at: timestamp,
    updated_at: timestamp,
  },
} as const;

type Timestamp = string | null;

/** A session exactly as the API sends it, once the validator has accepted it. */
export interface SessionPayload {
  id: PayloadId;
  team_id: PayloadId;
  agent_id: PayloadId;
  requested_by_user_id: PayloadId | null;
  status: string;
  claimed_at: Timestamp;
  opened_at: Timestamp;
  closed_at: Timestamp;
  expires_at: Timestamp;
  last_browser_heartbeat_at: Timestamp;
  last_agent_heartbeat_at: Timestamp;
  meta: Record<string, unknown> | [] | null;
  socket?: {
    connection: RealtimeSocketConnection;
    channel: string;
    event: string;
    auth_endpoint: string;
  };
  created_at: Timestamp;
  updated_at: Timestamp;
}

const isRequestedSessionsPayload = validator<{ data: SessionPayload[] }>({
  type: 'object',
  required: ['data'],
  properties: { data: { type: 'array', items: sessionPayloadSchema } },
});

/** The documented keys of a socket's connection, without any extra ones. */
function pickConnection(connection: RealtimeSocketConnection): RealtimeSocketConnection {
  const { driver, key, cluster, host, port, scheme, path } = connection;
  return { driver, key, cluster, host, port, scheme, path };
}

export function toRealtimeSession(session: SessionPayload): RealtimeSession {
  const { socket, meta } = session;
  return {
    id: idText(session.id),
    teamId: idText(session.team_id),
    agentId: idText(session.agent_id),
    requestedByUserId: session.requested_by_user_id === null ? null : idText(session.requested_by_user_id),
    status: knownStatuses.has(session.status) ? (session.status as KnownSessionStatus) : 'unknown',
    upstreamStatus: session.status,
    claimedAt: toUtcTimestamp(session.claimed_at),
    openedAt: toUtcTimestamp(session.opened_at),
    closedAt: toUtcTimestamp(session.closed_at),
    expiresAt: toUtcTimestamp(session.expires_at),
    lastBrowserHeartbeatAt: toUtcTimestamp(session.last_browser_heartbeat_at),
    lastAgentHeartbeatAt: toUtcTimestamp(session.last_agent_heartbeat_at),
    meta: Array.isArray(meta) ? {} : plainJson(meta),
    socket:
      socket === undefined
        ? null
        : {
            connection: pickConnection(socket.connection),
            channel: socket.channel,
            event: socket.event,
            authEndpoint: socket.auth_endpoint,
          },
    createdAt: toUtcTimestamp(session.created_at),
    updatedAt: toUtcTimestamp(session.updated_at),
  };
}

/*
 * `GET /agents/instructions` (`AgentInstructionsResponse`) also carries the instruction bundle;
 * the gateway reads only the authenticated agent's id from it, so only that part is validated.
 */
const isAgentInstructionsPayload = validator<{ agent: { id: PayloadId } }>({
  type: 'object',
  required: ['agent'],
  properties: {
    agent: { type: 'object', required: ['id'], properties: { id: { recordId: 'positive' } } },
  },
});

/** Validates a 200 body of `GET /agents/realtime/sessions/requested`. */
export function parseRequestedSessions(json: unknown): ParseResult<RealtimeSession[]> {
  if (isRequestedSessionsPayload(json)) return { ok: true, value: json.data.map(toRealtimeSession) };
  return failure(isRequestedSessionsPayload, json);
}

/** Validates a 200 body of `GET /agents/instructions`, keeping the agent's identity. */
export function parseAgentIdentity(json: unknown): ParseResult<AgentIdentity> {
  if (isAgentInstructionsPayload(json)) return { ok: true, value: { id: idText(json.agent.id) } };
  return failure(isAgentInstructionsPayload, json);
}
