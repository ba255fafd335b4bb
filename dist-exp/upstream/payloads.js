import { z } from 'zod';
/*
 * Validators for what the AgentMC API sends, written from its OpenAPI document
 * (`AgentRealtimeRequestedSessionsResponse`, `AgentRealtimeSession`, `ApiError`), and the
 * camelCase types they produce. Unknown fields are dropped; documented nulls stay null.
 */
/** The lifecycle statuses the API documents, in its own spelling. */
export const KNOWN_SESSION_STATUSES = [
    'requested',
    'claimed',
    'active',
    'closed',
    'failed',
    'expired',
];
const knownStatuses = new Set(KNOWN_SESSION_STATUSES);
const recordId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const timestamp = z.iso.datetime({ offset: true }).nullable();
const socketConnectionPayload = z.object({
    driver: z.string(),
    key: z.string(),
    cluster: z.string(),
    host: z.string(),
    port: z.number().int().min(0).max(65535),
    scheme: z.string(),
    path: z.string(),
});
const socketPayload = z.object({
    connection: socketConnectionPayload,
    channel: z.string(),
    event: z.string(),
    auth_endpoint: z.string(),
});
// PHP serialises an empty associative array as `[]`; it is read as the empty object it means.
const metaObject = z.union([z.record(z.string(), z.unknown()), z.tuple([])]).nullable();
// Validation only: zod compiles plain object schemas into fast checks, and transforms would
// take that fast path away; renaming is done after, in `toRealtimeSession`.
const sessionPayload = z.object({
    id: recordId,
    team_id: recordId,
    agent_id: recordId,
    requested_by_user_id: recordId.nullable(),
    status: z.string().min(1).max(64),
    claimed_at: timestamp,
    opened_at: timestamp,
    closed_at: timestamp,
    expires_at: timestamp,
    last_browser_heartbeat_at: timestamp,
    last_agent_heartbeat_at: timestamp,
    meta: metaObject,
    socket: socketPayload.optional(),
    created_at: timestamp,
    updated_at: timestamp,
});
const requestedSessionsPayload = z.object({ data: z.array(sessionPayload) });
/**
 * Normalises a timestamp the validator accepted (RFC 3339, real calendar dates, any offset) once,
 * here, so serving it costs nothing: responses carry twenty sessions of eight timestamps, and
 * formatting Dates while writing them tripled the cost of serialising a response. The API's own
 * form, whole seconds in UTC, is completed by hand; anything else goes through Date.
 */
function toUtcTimestamp(timestamp) {
    if (timestamp === null)
        return null;
    if (timestamp.length === 20 && timestamp.endsWith('Z'))
        return `${timestamp.slice(0, 19)}.000Z`;
    return new Date(timestamp).toISOString();
}
function toRealtimeSession(session) {
    const { socket, meta } = session;
    return {
        id: session.id,
        teamId: session.team_id,
        agentId: session.agent_id,
        requestedByUserId: session.requested_by_user_id,
        status: knownStatuses.has(session.status) ? session.status : 'unknown',
        upstreamStatus: session.status,
        claimedAt: toUtcTimestamp(session.claimed_at),
        openedAt: toUtcTimestamp(session.opened_at),
        closedAt: toUtcTimestamp(session.closed_at),
        expiresAt: toUtcTimestamp(session.expires_at),
        lastBrowserHeartbeatAt: toUtcTimestamp(session.last_browser_heartbeat_at),
        lastAgentHeartbeatAt: toUtcTimestamp(session.last_agent_heartbeat_at),
        meta: Array.isArray(meta) ? {} : meta,
        socket: socket === undefined
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
const agentInstructionsPayload = z.object({
    agent: z.object({ id: recordId.min(1) }),
});
/** Validates a 200 body of `GET /agents/realtime/sessions/requested`. */
export function parseRequestedSessions(json) {
    const result = requestedSessionsPayload.safeParse(json);
    if (result.success)
        return { ok: true, value: result.data.data.map(toRealtimeSession) };
    return { ok: false, path: issuePath(result.error.issues[0]?.path ?? []) };
}
/** Validates a 200 body of `GET /agents/instructions`, keeping the agent's identity. */
export function parseAgentIdentity(json) {
    const result = agentInstructionsPayload.safeParse(json);
    if (result.success)
        return { ok: true, value: { id: result.data.agent.id } };
    return { ok: false, path: issuePath(result.error.issues[0]?.path ?? []) };
}
/** `data[3].status`: built from our schema's keys and indexes only, never from upstream text. */
function issuePath(path) {
    return path
        .map((part, index) => typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)
        .join('');
}
const errorEnvelope = z.object({
    error: z.object({
        code: z.string(),
        message: z.string(),
        details: z.record(z.string(), z.unknown()).nullable().optional(),
    }),
});
const fieldErrors = z.record(z.string(), z.array(z.string()));
const retryAfterDetail = z.union([z.number().nonnegative(), z.string().regex(/^\d+$/)]);
/**
 * Reads the documented error envelope. A body that is not one (HTML from a proxy, an empty
 * body, another JSON shape) gives no facts; the status alone still classifies the error.
 * Every string is screened by `safeUpstreamText`, with the caller's key, which is never echoed.
 */
export function readErrorEnvelope(json, apiKey) {
    const envelope = errorEnvelope.safeParse(json);
    if (!envelope.success)
        return {};
    const { code, message, details } = envelope.data.error;
    const facts = {};
    if (/^[A-Za-z0-9_.:-]{1,64}$/.test(code))
        facts.code = code;
    const safeMessage = safeUpstreamText(message, apiKey);
    if (safeMessage !== undefined)
        facts.message = safeMessage;
    const fields = fieldErrors.safeParse(details?.fields);
    if (fields.success) {
        const safeFields = {};
        for (const [name, messages] of Object.entries(fields.data).slice(0, 50)) {
            if (!/^[A-Za-z0-9_.[\]-]{1,100}$/.test(name))
                continue;
            safeFields[name] = messages
                .slice(0, 10)
                .map((text) => safeUpstreamText(text, apiKey))
                .filter((text) => text !== undefined);
        }
        facts.fields = safeFields;
    }
    const retryAfter = retryAfterDetail.safeParse(details?.retry_after);
    if (retryAfter.success)
        facts.retryAfter = Math.ceil(Number(retryAfter.data));
    return facts;
}
/**
 * Text that looks like it leaks internals (stack frames, file paths, SQL, HTML, addresses,
 * error codes of sockets) or the caller's key is withheld rather than relayed.
 */
const LEAKY_TEXT = /(?:\/[\w.-]+){2,}|[A-Za-z]:\\|\bat \S+ \(|\.(?:php|js|ts|py|rb|java):\d|SQLSTATE|\bselect\b.+\bfrom\b|exception|traceback|<[a-z!/]|\bE[A-Z]{4,}\b|\b\d{1,3}(?:\.\d{1,3}){3}\b|::1\b/i;
export function safeUpstreamText(text, apiKey) {
    if (text.length === 0 || text.length > 300)
        return undefined;
    if (/[\p{Cc}]/u.test(text))
        return undefined;
    if (text.includes(apiKey) || LEAKY_TEXT.test(text))
        return undefined;
    return text;
}
//# sourceMappingURL=payloads.js.map