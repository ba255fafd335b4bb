import {
  CLOSE_STATUSES,
  errorEnvelope,
  fieldsInvalid,
  LIFECYCLE_LIMITS,
  SIGNAL_SENDERS,
  SIGNALS_DEFAULT_LIMIT,
  SIGNALS_LIMIT,
  type WireSignal,
} from '../agentmc-wire.js';
import type { WireAnswer } from './hosts-api.js';

/*
 * The lifecycle's request bodies and query parameters, validated as AgentMC documents them: each
 * reader gives the values, or the answer the API gives instead (422 naming the fields).
 */

export type Checked<T> = { ok: true; value: T } | { ok: false; answer: WireAnswer };

type Fields = Record<string, string[]>;
type Body = Record<string, unknown>;

const done = <T>(fields: Fields, value: T): Checked<T> =>
  Object.keys(fields).length === 0 ? { ok: true, value } : { ok: false, answer: fieldsInvalid(fields) };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The JSON object a POST carried: none is `{}`; anything but an object is a 400. */
export function jsonBody(text: string | undefined): Checked<Body> {
  if (text === undefined || text.trim() === '') return { ok: true, value: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (isObject(value)) return { ok: true, value };
  } catch {
    // answered below
  }
  return {
    ok: false,
    answer: { status: 400, body: errorEnvelope('bad_request', 'The body must be a JSON object.') },
  };
}

type Payload = WireSignal['payload'];

/** `payload`: absent or null, an object, or an array of objects. */
function payloadOf(body: Body, fields: Fields): Payload {
  const payload = body.payload;
  if (payload === undefined || payload === null) return null;
  if (isObject(payload)) return payload;
  if (Array.isArray(payload) && payload.every(isObject)) return payload;
  fields.payload = ['The payload must be null, an object or an array of objects.'];
  return null;
}

/** A string field within `[min, max]` characters matching `pattern`; undefined when it is not. */
function text(
  body: Body,
  name: string,
  fields: Fields,
  { min = 1, max, pattern }: { min?: number; max: number; pattern?: RegExp },
): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') {
    if (min > 0) fields[name] = [`The ${name} field is required.`];
    return undefined;
  }
  if (typeof value !== 'string') fields[name] = [`The ${name} must be a string.`];
  else if (value.length < min || value.length > max)
    fields[name] = [`The ${name} must be between ${min} and ${max} characters.`];
  else if (pattern !== undefined && !pattern.test(value)) fields[name] = [`The ${name} format is invalid.`];
  else return value;
  return undefined;
}

/** The hosts generation's claim: `{ owner_token }`, required. */
export function claimBody(body: Body): Checked<{ ownerToken: string }> {
  const fields: Fields = {};
  const { minLength: min, maxLength: max, pattern } = LIFECYCLE_LIMITS.ownerToken;
  const ownerToken = text(body, 'owner_token', fields, { min, max, pattern });
  return done(fields, { ownerToken: ownerToken ?? '' });
}

/** `{ type, payload }` of a new signal. */
export function signalBody(body: Body): Checked<{ type: string; payload: Payload }> {
  const fields: Fields = {};
  const { maxLength: max, pattern } = LIFECYCLE_LIMITS.signalType;
  const type = text(body, 'type', fields, { max, pattern }) ?? '';
  const payload = payloadOf(body, fields);
  return done(fields, { type, payload });
}

/** `{ status?, reason?, payload? }` of a close; status `closed` unless `failed` is given. */
export function closeBody(
  body: Body,
): Checked<{ status: string; reason: string | undefined; payload: Payload }> {
  const fields: Fields = {};
  const status = body.status ?? 'closed';
  if (typeof status !== 'string' || !(CLOSE_STATUSES as readonly string[]).includes(status))
    fields.status = [`The status must be one of: ${CLOSE_STATUSES.join(', ')}.`];
  const reason = text(body, 'reason', fields, { min: 0, max: LIFECYCLE_LIMITS.reason.maxLength });
  const payload = payloadOf(body, fields);
  return done(fields, { status: String(status), reason, payload });
}

/** `{ socket_id, channel_name }` of a socket auth. */
export function socketAuthBody(body: Body): Checked<{ socketId: string; channelName: string }> {
  const fields: Fields = {};
  const { maxLength, pattern } = LIFECYCLE_LIMITS.socketId;
  const socketId = text(body, 'socket_id', fields, { max: maxLength, pattern }) ?? '';
  const channelName =
    text(body, 'channel_name', fields, { max: LIFECYCLE_LIMITS.channelName.maxLength }) ?? '';
  return done(fields, { socketId, channelName });
}

export interface SignalsQuery {
  afterId: number;
  limit: number;
  excludeSender: string | undefined;
}

/**
 * `?after_id&limit` (and `exclude_sender` where the generation documents it; elsewhere it is
 * ignored, as an unknown parameter is).
 */
export function signalsQuery(query: URLSearchParams, withExcludeSender: boolean): Checked<SignalsQuery> {
  const fields: Fields = {};
  const rawAfter = query.get('after_id');
  const afterId = rawAfter === null ? 0 : Number(rawAfter);
  if (rawAfter !== null && (!/^\d+$/.test(rawAfter) || !Number.isSafeInteger(afterId)))
    fields.after_id = ['The after id must be an integer of at least 0.'];
  const rawLimit = query.get('limit');
  const limit = rawLimit === null ? SIGNALS_DEFAULT_LIMIT : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < SIGNALS_LIMIT.min || limit > SIGNALS_LIMIT.max)
    fields.limit = [`The limit must be between ${SIGNALS_LIMIT.min} and ${SIGNALS_LIMIT.max}.`];
  const excludeSender = withExcludeSender ? (query.get('exclude_sender') ?? undefined) : undefined;
  if (excludeSender !== undefined && !(SIGNAL_SENDERS as readonly string[]).includes(excludeSender))
    fields.exclude_sender = [`The exclude sender must be one of: ${SIGNAL_SENDERS.join(', ')}.`];
  return done(fields, { afterId, limit, excludeSender });
}
