import { SIGNAL_SENDERS } from '../agentmc-wire.js';
import type {
  RealtimeSession,
  RealtimeSignal,
  RealtimeSignalList,
  SignalSender,
  SocketAuthorization,
} from './models.js';
import {
  ajv,
  failurePath,
  recordId,
  sessionPayloadSchema,
  timestamp,
  toRealtimeSession,
  toUtcTimestamp,
  type ParseResult,
  type SessionPayload,
} from './payloads.js';

/*
 * Validators for the answers of the session lifecycle (claim, signals, close, socket auth),
 * written from the OpenAPI documents (`AgentRealtimeSessionResponse`, `AgentRealtimeSignalsResponse`,
 * `AgentRealtimeSignalResponse`, `AgentRealtimeSocketAuthResponse`), the same in both generations.
 */

const knownSenders: ReadonlySet<string> = new Set(SIGNAL_SENDERS);

const signalPayloadSchema = {
  type: 'object',
  required: [
    'id',
    'team_id',
    'agent_id',
    'session_id',
    'sender',
    'type',
    'payload',
    'created_at',
    'updated_at',
  ],
  properties: {
    id: recordId,
    team_id: recordId,
    agent_id: recordId,
    session_id: recordId,
    sender: { type: 'string' },
    type: { type: 'string' },
    // The document says an object or null; the create operation takes an array of objects too,
    // which a server may echo back as it was sent.
    payload: { anyOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }, { type: 'null' }] },
    created_at: timestamp,
    updated_at: timestamp,
  },
} as const;

interface SignalPayload {
  id: number;
  team_id: number;
  agent_id: number;
  session_id: number;
  sender: string;
  type: string;
  payload: Record<string, unknown> | Record<string, unknown>[] | null;
  created_at: string | null;
  updated_at: string | null;
}

function toRealtimeSignal(signal: SignalPayload, session: RealtimeSession): RealtimeSignal {
  return {
    id: signal.id,
    teamId: signal.team_id,
    agentId: signal.agent_id,
    sessionId: signal.session_id,
    sender: knownSenders.has(signal.sender) ? (signal.sender as SignalSender) : 'unknown',
    upstreamSender: signal.sender,
    type: signal.type,
    payload: signal.payload,
    createdAt: toUtcTimestamp(signal.created_at),
    updatedAt: toUtcTimestamp(signal.updated_at),
    session,
  };
}

const isSessionResponse = ajv.compile<{ data: SessionPayload }>({
  type: 'object',
  required: ['data'],
  properties: { data: sessionPayloadSchema },
});

const isSignalsResponse = ajv.compile<{ data: SignalPayload[]; session: SessionPayload }>({
  type: 'object',
  required: ['data', 'session'],
  properties: { data: { type: 'array', items: signalPayloadSchema }, session: sessionPayloadSchema },
});

const isSignalResponse = ajv.compile<{ data: SignalPayload; session: SessionPayload }>({
  type: 'object',
  required: ['data', 'session'],
  properties: { data: signalPayloadSchema, session: sessionPayloadSchema },
});

const isSocketAuthResponse = ajv.compile<SocketAuthorization>({
  type: 'object',
  required: ['auth'],
  properties: { auth: { type: 'string', minLength: 1 } },
});

/** The 200 body of claim and close: `{ data: Session }`. */
export function parseSessionResponse(json: unknown): ParseResult<RealtimeSession> {
  if (isSessionResponse(json)) return { ok: true, value: toRealtimeSession(json.data) };
  return { ok: false, path: failurePath(isSessionResponse) };
}

/** The 200 body of the signals list: `{ data: Signal[], session }`, rows put in id order. */
export function parseSignalList(json: unknown): ParseResult<RealtimeSignalList> {
  if (!isSignalsResponse(json)) return { ok: false, path: failurePath(isSignalsResponse) };
  const session = toRealtimeSession(json.session);
  const signals = json.data.map((signal) => toRealtimeSignal(signal, session));
  signals.sort((a, b) => a.id - b.id);
  return { ok: true, value: { signals, session } };
}

/** The 200 body of a created signal: `{ data: Signal, session }`. */
export function parseCreatedSignal(json: unknown): ParseResult<RealtimeSignal> {
  if (!isSignalResponse(json)) return { ok: false, path: failurePath(isSignalResponse) };
  return { ok: true, value: toRealtimeSignal(json.data, toRealtimeSession(json.session)) };
}

/** The 200 body of both socket auths: `{ auth }`. */
export function parseSocketAuthorization(json: unknown): ParseResult<SocketAuthorization> {
  if (isSocketAuthResponse(json)) return { ok: true, value: { auth: json.auth } };
  return { ok: false, path: failurePath(isSocketAuthResponse) };
}
