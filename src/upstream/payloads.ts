import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { SESSION_STATUSES } from '../agentmc-wire.js';
import type {
  AgentIdentity,
  KnownSessionStatus,
  RealtimeSession,
  RealtimeSocketConnection,
  UtcTimestamp,
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
 * nulls stay null.
 * Error bodies (`ApiError`) are read, and screened, by `error-envelope.ts`.
 */

const knownStatuses: ReadonlySet<string> = new Set(SESSION_STATUSES);

/**
 * RFC 3339 `date-time` with real calendar dates (leap years included) and any offset. A
 * timestamp that passes is one `Date` reads the same way, which `toUtcTimestamp` relies on.
 */
const RFC3339_DATE_TIME =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|02-(?:0[1-9]|1\d|2[0-8])))T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/*
 * ajv compiles each schema once into a plain function that checks a parsed body in place: about
 * five times faster than zod here, with no allocation per field (zod's allocations were a
 * quarter of the gateway's garbage). Unknown fields are ignored; `toRealtimeSession` picks.
 */
export const ajv = new Ajv({ formats: { 'date-time': RFC3339_DATE_TIME } });

export const recordId = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;
export const timestamp = { type: 'string', format: 'date-time', nullable: true } as const;

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
        port: { type: 'integer', minimum: 0, maximum: 65535 },
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
    requested_by_user_id: { ...recordId, nullable: true },
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
  id: number;
  team_id: number;
  agent_id: number;
  requested_by_user_id: number | null;
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

const isRequestedSessionsPayload = ajv.compile<{ data: SessionPayload[] }>({
  type: 'object',
  required: ['data'],
  properties: { data: { type: 'array', items: sessionPayloadSchema } },
});

/**
 * Normalises a timestamp the validator accepted (RFC 3339, real calendar dates, any offset) once,
 * here, so serving it costs nothing: responses carry twenty sessions of eight timestamps, and
 * formatting Dates while writing them tripled the cost of serialising a response. The API's own
 * form, whole seconds in UTC, is completed by hand; anything else goes through Date.
 */
export function toUtcTimestamp(timestamp: string | null): UtcTimestamp | null {
  if (timestamp === null) return null;
  if (timestamp.length === 20 && timestamp.endsWith('Z'))
    return `${timestamp.slice(0, 19)}.000Z` as UtcTimestamp;
  return new Date(timestamp).toISOString() as UtcTimestamp;
}

export function toRealtimeSession(session: SessionPayload): RealtimeSession {
  const { socket, meta } = session;
  return {
    id: session.id,
    teamId: session.team_id,
    agentId: session.agent_id,
    requestedByUserId: session.requested_by_user_id,
    status: knownStatuses.has(session.status) ? (session.status as KnownSessionStatus) : 'unknown',
    upstreamStatus: session.status,
    claimedAt: toUtcTimestamp(session.claimed_at),
    openedAt: toUtcTimestamp(session.opened_at),
    closedAt: toUtcTimestamp(session.closed_at),
    expiresAt: toUtcTimestamp(session.expires_at),
    lastBrowserHeartbeatAt: toUtcTimestamp(session.last_browser_heartbeat_at),
    lastAgentHeartbeatAt: toUtcTimestamp(session.last_agent_heartbeat_at),
    meta: Array.isArray(meta) ? {} : meta,
    socket:
      socket === undefined
        ? null
        : {
            connection: socket.connection,
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
const isAgentInstructionsPayload = ajv.compile<{ agent: AgentIdentity }>({
  type: 'object',
  required: ['agent'],
  properties: {
    agent: { type: 'object', required: ['id'], properties: { id: { ...recordId, minimum: 1 } } },
  },
});

export type ParseResult<T> = { ok: true; value: T } | { ok: false; path: string };

/** Validates a 200 body of `GET /agents/realtime/sessions/requested`. */
export function parseRequestedSessions(json: unknown): ParseResult<RealtimeSession[]> {
  if (isRequestedSessionsPayload(json)) return { ok: true, value: json.data.map(toRealtimeSession) };
  return { ok: false, path: failurePath(isRequestedSessionsPayload) };
}

/** Validates a 200 body of `GET /agents/instructions`, keeping the agent's identity. */
export function parseAgentIdentity(json: unknown): ParseResult<AgentIdentity> {
  if (isAgentInstructionsPayload(json)) return { ok: true, value: { id: json.agent.id } };
  return { ok: false, path: failurePath(isAgentInstructionsPayload) };
}

/**
 * `data[3].status`, from the first error of the last validation: built from our schema's keys
 * and the body's indexes only, never from upstream text (an unknown key is not named).
 */
export function failurePath(validate: ValidateFunction): string {
  const error: ErrorObject | undefined = validate.errors?.[0];
  if (!error) return '';
  const parts = error.instancePath.split('/').slice(1);
  if (error.keyword === 'required') parts.push(String(error.params.missingProperty));
  return parts
    .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : `${index === 0 ? '' : '.'}${part}`))
    .join('');
}
