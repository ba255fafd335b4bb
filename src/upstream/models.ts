import type { WireSessionStatus, WireSocket } from '../agentmc-wire.js';

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

/** A session as the schema serves it: camelCase, timestamps in UTC, unknown statuses marked. */
export interface RealtimeSession {
  id: number;
  teamId: number;
  agentId: number;
  requestedByUserId: number | null;
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
  id: number;
}
