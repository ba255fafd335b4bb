import { SIGNAL_SENDERS } from '../agentmc-wire.js';
import type {
  RealtimeSession,
  RealtimeSignal,
  RealtimeSignalList,
  SignalSender,
  SocketAuthorization,
} from './models.js';
import { compareIds } from './decimal-ids.js';
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
import { sessionPayloadSchema, toRealtimeSession, type SessionPayload } from './payloads.js';

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
  id: PayloadId;
  team_id: PayloadId;
  agent_id: PayloadId;
  session_id: PayloadId;
  sender: string;
  type: string;
  payload: Record<string, unknown> | Record<string, unknown>[] | null;
  created_at: string | null;
  updated_at: string | null;
}

function toRealtimeSignal(signal: SignalPayload, session: RealtimeSession): RealtimeSignal {
  return {
    id: idText(signal.id),
    teamId: idText(signal.team_id),
    agentId: idText(signal.agent_id),
    sessionId: idText(signal.session_id),
    sender: knownSenders.has(signal.sender) ? (signal.sender as SignalSender) : 'unknown',
    upstreamSender: signal.sender,
    type: signal.type,
    payload: plainJson(signal.payload),
    createdAt: toUtcTimestamp(signal.created_at),
    updatedAt: toUtcTimestamp(signal.updated_at),
    session,
  };
}

const isSessionResponse = validator<{ data: SessionPayload }>({
  type: 'object',
  required: ['data'],
  properties: { data: sessionPayloadSchema },
});

const isSignalsResponse = validator<{ data: SignalPayload[]; session: SessionPayload }>({
  type: 'object',
  required: ['data', 'session'],
  properties: { data: { type: 'array', items: signalPayloadSchema }, session: sessionPayloadSchema },
});

const isSignalResponse = validator<{ data: SignalPayload; session: SessionPayload }>({
  type: 'object',
  required: ['data', 'session'],
  properties: { data: signalPayloadSchema, session: sessionPayloadSchema },
});

const isSocketAuthResponse = validator<SocketAuthorization>({
  type: 'object',
  required: ['auth'],
  properties: { auth: { type: 'string' } },
});

/** The 200 body of claim and close: `{ data: Session }`. */
export function parseSessionResponse(json: unknown): ParseResult<RealtimeSession> {
  if (isSessionResponse(json)) return { ok: true, value: toRealtimeSession(json.data) };
  return failure(isSessionResponse, json);
}

/** The 200 body of the signals list: `{ data: Signal[], session }`, rows put in id order. */
export function parseSignalList(json: unknown): ParseResult<RealtimeSignalList> {
  if (!isSignalsResponse(json)) return failure(isSignalsResponse, json);
  const session = toRealtimeSession(json.session);
  const signals = json.data.map((signal) => toRealtimeSignal(signal, session));
  signals.sort((a, b) => compareIds(a.id, b.id));
  return { ok: true, value: { signals, session } };
}

/** The 200 body of a created signal: `{ data: Signal, session }`. */
export function parseCreatedSignal(json: unknown): ParseResult<RealtimeSignal> {
  if (!isSignalResponse(json)) return failure(isSignalResponse, json);
  return { ok: true, value: toRealtimeSignal(json.data, toRealtimeSession(json.session)) };
}

/** The 200 body of both socket auths: `{ auth }`. */
export function parseSocketAuthorization(json: unknown): ParseResult<SocketAuthorization> {
  if (isSocketAuthResponse(json)) return { ok: true, value: { auth: json.auth } };
  return failure(isSocketAuthResponse, json);
}
