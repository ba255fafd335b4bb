// Over 250 lines on purpose: the session validators and their mapping, which the lifecycle readers reuse, kept beside each other.
import { _, Ajv, type Code, type ErrorObject, type KeywordCxt, type Name, type ValidateFunction } from 'ajv';
import { SESSION_STATUSES } from '../agentmc-wire.js';
import type { DecimalId } from './decimal-ids.js';
import { ExactInteger, InexactNumber, plainJson } from './exact-json.js';
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
 * nulls stay null; ids become their decimal strings, exactly (`exact-json.ts` reads the body).
 * Where the gateway takes less, or more, than the document, and why: test/payload-strictness.test.ts.
 * Error bodies (`ApiError`) are read, and screened, by `error-envelope.ts`.
 */

const knownStatuses: ReadonlySet<string> = new Set(SESSION_STATUSES);

/**
 * RFC 3339 `date-time` with real calendar dates (leap years included), any offset, `T` and `Z` in
 * either case (RFC 3339 §5.6) and a leap second (`:60`). A timestamp that passes is one `Date`
 * reads the same way once upper-cased and with a leap second read as `:59`, which
 * `toUtcTimestamp` relies on.
 */
const RFC3339_DATE_TIME =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|02-(?:0[1-9]|1\d|2[0-8])))[Tt](?:[01]\d|2[0-3]):[0-5]\d:(?:[0-5]\d|60)(?:\.\d+)?(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/*
 * ajv compiles each schema once into a plain function that checks a parsed body in place: about
 * five times faster than zod here, with no allocation per field (zod's allocations were a
 * quarter of the gateway's garbage). Unknown fields are ignored; `toRealtimeSession` picks.
 */
export const ajv = new Ajv();

/** Our keywords' checks: true when the value passes, false or why it does not. */
const checks = new Map<string, (data: unknown, schema: never) => boolean | string>();

/**
 * A keyword of our own, checked inline by the compiled validator through `check` (one call, no
 * allocation); on a failure `failure` asks `check` again for why, when it has more to say than
 * the path (a text instead of false).
 */
function addCheck<Schema>(
  keyword: string,
  schemaType: 'boolean' | 'string',
  check: (data: unknown, schema: Schema) => boolean | string,
  /** What passes without a call, as code over the data (the common case: a small id, a null). */
  fastPass?: (data: Name, schema: Schema) => Code,
): void {
  checks.set(keyword, check as (data: unknown, schema: never) => boolean | string);
  const passes = (data: unknown, schema: Schema): boolean => check(data, schema) === true;
  ajv.addKeyword({
    keyword,
    schemaType,
    code(cxt: KeywordCxt) {
      const test = cxt.gen.scopeValue('keyword', { ref: passes });
      const slow = _`!${test}(${cxt.data}, ${cxt.schemaValue})`;
      const schema = cxt.schema as Schema;
      cxt.fail(fastPass === undefined ? slow : _`!(${fastPass(cxt.data, schema)}) && ${slow}`);
    },
    error: { message: `must pass ${keyword}`, params: ({ schemaCode }) => _`{schema: ${schemaCode}}` },
  });
}

/**
 * `recordId`: an integer, any sign and any size (the documents give ids no minimum or maximum):
 * a double that holds it exactly, or an `ExactInteger` read from the body text. `'nullable'` also
 * takes null; `'positive'` adds the minimum of 1 that `AgentInstructionsResponse.agent.id` documents.
 */
addCheck<'any' | 'nullable' | 'positive'>(
  'recordId',
  'string',
  (data, kind) => {
    if (data === null) return kind === 'nullable';
    if (typeof data === 'number') {
      if (!Number.isInteger(data)) return false;
      // Only a number written with an exponent gets here beyond 2^53 (see exact-json.ts).
      if (!Number.isSafeInteger(data)) return 'an integer beyond 2^53 - 1 that was not read exactly';
      return kind !== 'positive' || data >= 1 ? true : 'below the documented minimum of 1';
    }
    if (data instanceof ExactInteger) {
      return kind !== 'positive' || !data.decimal.startsWith('-')
        ? true
        : 'below the documented minimum of 1';
    }
    if (data instanceof InexactNumber) return data.why;
    return false;
  },
  // A safe integer (of at least 1 for 'positive') passes inline.
  (data, kind) =>
    _`typeof ${data} == "number" && Number.isSafeInteger(${data})${kind === 'positive' ? _` && ${data} >= 1` : _``}`,
);

/** GraphQL `Int`: what a documented `integer` that is no id (the socket's `port`) is served as. */
const GRAPHQL_INT = { min: -(2 ** 31), max: 2 ** 31 - 1 } as const;
addCheck<boolean>('graphqlInt', 'boolean', (data) => {
  if (typeof data === 'number' && Number.isInteger(data)) {
    return (data >= GRAPHQL_INT.min && data <= GRAPHQL_INT.max) || 'an integer beyond GraphQL Int (32 bits)';
  }
  if (data instanceof ExactInteger) return 'an integer beyond GraphQL Int (32 bits)';
  if (data instanceof InexactNumber) return data.why;
  return false;
});

/**
 * `dateTime`: null or an RFC 3339 date-time that is an instant of the years 0000 to 9999 in UTC,
 * which the `DateTime` scalar serves (a document-valid `9999-12-31T23:59:59-01:00` is not).
 */
addCheck<boolean>(
  'dateTime',
  'boolean',
  (data) => {
    if (data === null) return true;
    if (typeof data !== 'string' || !RFC3339_DATE_TIME.test(data)) return false;
    // Only the first and the last year can leave the range once moved to UTC.
    if (!data.startsWith('0000-') && !data.startsWith('9999-')) return true;
    return /^\d{4}-/.test(toUtcTimestamp(data)) || 'an instant outside the years 0000 to 9999 in UTC';
  },
  (data) => _`${data} === null`,
);

export const recordId = { recordId: 'any' } as const;
export const timestamp = { dateTime: true } as const;

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

/** An id the `recordId` keyword accepted: a safe integer, or one read exactly from the text. */
export type PayloadId = number | ExactInteger;

/** The decimal string of an id the validator accepted, exactly as the body wrote it. */
export function idText(id: PayloadId): DecimalId {
  return typeof id === 'number' ? String(id) : id.decimal;
}

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
export function toUtcTimestamp(timestamp: string): UtcTimestamp;
export function toUtcTimestamp(timestamp: string | null): UtcTimestamp | null;
export function toUtcTimestamp(timestamp: string | null): UtcTimestamp | null {
  if (timestamp === null) return null;
  if (timestamp.length === 20 && timestamp.endsWith('Z') && timestamp.charCodeAt(10) === 84 /* T */)
    return `${timestamp.slice(0, 19)}.000Z` as UtcTimestamp;
  const upper = timestamp.toUpperCase();
  // A leap second: Date reads none, so the instant is read at :59 and written back at :60.
  if (upper.slice(17, 19) !== '60') return new Date(upper).toISOString() as UtcTimestamp;
  const utc = new Date(`${upper.slice(0, 17)}59${upper.slice(19)}`).toISOString();
  return `${utc.slice(0, 17)}60${utc.slice(19)}` as UtcTimestamp;
}

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
const isAgentInstructionsPayload = ajv.compile<{ agent: { id: PayloadId } }>({
  type: 'object',
  required: ['agent'],
  properties: {
    agent: { type: 'object', required: ['id'], properties: { id: { recordId: 'positive' } } },
  },
});

/** `why`: what is wrong at `path` when its type alone does not say (an id read inexactly). */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; path: string; why?: string };

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

/** The refusal of the last validation of `json`: where, and why when our keyword says more. */
export function failure(
  validate: ValidateFunction,
  json: unknown,
): { ok: false; path: string; why?: string } {
  const path = failurePath(validate);
  const error: ErrorObject | undefined = validate.errors?.[0];
  const check = error === undefined ? undefined : checks.get(error.keyword);
  if (error === undefined || check === undefined) return { ok: false, path };
  const value = error.instancePath
    .split('/')
    .slice(1)
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], json);
  const why = check(value, error.params.schema as never);
  return typeof why === 'string' ? { ok: false, path, why } : { ok: false, path };
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
