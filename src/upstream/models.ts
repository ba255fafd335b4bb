import type { WireSessionStatus, WireSignalSender, WireSocket } from '../agentmc-wire.js';
import type { DecimalId } from './decimal-ids.js';

export type { DecimalId } from './decimal-ids.js';

/*
 * What validated payloads become: the types the schema serves (camelCase, timestamps in UTC,
 * unknown statuses marked). Only `payloads.ts` makes them.
 */

/** A status the API documents, in its own spelling. */
export type KnownSessionStatus = WireSessionStatus;
/** A status the API added after this gateway was built; surfaced as UNKNOWN, never an error. */
export type SessionStatus = KnownSessionStatus | 'unknown';

/** The connection block has no snake_case keys: the wire's own shape is the model's. */
export type RealtimeSocketConnection = WireSocket['connection'];

export interface RealtimeSocket {
  connection: RealtimeSocketConnection;
  channel: string;
  event: string;
  authEndpoint: string;
}

/**
 * An instant as the schema serves it: RFC 3339 in UTC with milliseconds (`2026-02-22T17:21:00.000Z`),
 * what `Date#toISOString` gives. Only `toUtcTimestamp` makes one.
 */
export type UtcTimestamp = string & { readonly __utcTimestamp: unique symbol };

/**
 * A session as the schema serves it: camelCase, ids as their decimal strings (exactly as sent,
 * of any size and sign), timestamps in UTC, unknown statuses marked.
 */
export interface RealtimeSession {
  id: DecimalId;
  teamId: DecimalId;
  agentId: DecimalId;
  requestedByUserId: DecimalId | null;
  status: SessionStatus;
  /** The status exactly as sent; differs from `status` only when that is `unknown`. */
  upstreamStatus: string;
  claimedAt: UtcTimestamp | null;
  openedAt: UtcTimestamp | null;
  closedAt: UtcTimestamp | null;
  expiresAt: UtcTimestamp | null;
  lastBrowserHeartbeatAt: UtcTimestamp | null;
  lastAgentHeartbeatAt: UtcTimestamp | null;
  meta: Record<string, unknown> | null;
  socket: RealtimeSocket | null;
  createdAt: UtcTimestamp | null;
  updatedAt: UtcTimestamp | null;
}

export interface AgentIdentity {
  id: DecimalId;
}

/** A sender the API added after this gateway was built is served as UNKNOWN, never an error. */
export type SignalSender = WireSignalSender | 'unknown';

/** One signal of a session, as the schema serves it. */
export interface RealtimeSignal {
  /** Ordered with `compareIds` (decimal-ids.ts), never as a number. */
  id: DecimalId;
  teamId: DecimalId;
  agentId: DecimalId;
  sessionId: DecimalId;
  sender: SignalSender;
  /** The sender exactly as sent; differs from `sender` only when that is `unknown`. */
  upstreamSender: string;
  type: string;
  payload: Record<string, unknown> | Record<string, unknown>[] | null;
  createdAt: UtcTimestamp | null;
  updatedAt: UtcTimestamp | null;
  /** The session the answer carried it with (the list's or the create's `session`). */
  session: RealtimeSession;
}

/** A page of `listAgentRealtimeSignals`: its rows in id order, and the session they belong to. */
export interface RealtimeSignalList {
  signals: RealtimeSignal[];
  session: RealtimeSession;
}

/** `authenticate*RealtimeSocket`: the Pusher channel signature. */
export interface SocketAuthorization {
  auth: string;
}
