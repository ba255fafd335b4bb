import { GatewayError, type GatewayErrorExtensions } from '../errors.js';
import type { DecimalId, RealtimeSession } from '../upstream/models.js';

/* What a feed sends: events to its subscribers, and messages between the replicas that share it. */

export interface SessionsUpdate {
  kind: 'update';
  sessions: RealtimeSession[];
  added: RealtimeSession[];
  updated: RealtimeSession[];
  removedIds: DecimalId[];
}

/** A failure to report; `final` ends the stream (a key that is no longer accepted). */
export interface FeedFailure {
  kind: 'error';
  error: GatewayError;
  final: boolean;
}

export type FeedEvent = SessionsUpdate | FeedFailure;

/** A feed's list as its poller last saw it; `seq` orders lists across replicas (higher is newer). */
export interface FeedSnapshot {
  seq: number;
  sessions: RealtimeSession[];
}

/** What a poller tells the other replicas of its feed. */
export type BusMessage = ({ kind: 'update' } & FeedSnapshot) | FeedFailure;

/** A failure as it crosses Redis: its message, extensions (its code among them) and `final`. */
export function failureToJson({ error, final }: FeedFailure): string {
  return JSON.stringify({ message: error.message, extensions: error.extensions, final });
}

/** The failure another replica published, as a GatewayError again. */
export function failureFromJson(json: string): FeedFailure {
  const { message, extensions, final } = JSON.parse(json) as {
    message: string;
    extensions: GatewayErrorExtensions;
    final: boolean;
  };
  return { kind: 'error', error: new GatewayError(message, extensions), final };
}
