import type { BusMessage, FeedSnapshot } from './feed-events.js';

/**
 * Shares pollers across gateway replicas (see redis-feed-bus.ts): per feed, one replica holds a
 * lock and polls; every replica hears what it publishes. Without a bus, pollers are in-process.
 */
export interface FeedBus {
  /**
   * Joins feed `feedId` (`<key digest>:<limit>`, never the key itself); `deliver` receives what
   * the polling replica publishes, except what this replica published itself.
   */
  join(feedId: string, deliver: (message: BusMessage) => void): FeedLink;
  /** Releases the connections, after the commands already sent. */
  close(): Promise<void>;
}

export interface FeedLink {
  /**
   * Starts hearing the feed; resolves once subscribed, with the last list the polling replica
   * stored (what a late joiner receives at once). Called again after a failure.
   */
  listen(): Promise<FeedSnapshot | undefined>;
  /**
   * Takes the poll lock, or renews it when this replica holds it. `held`: poll now. `snapshot`:
   * the stored list, so a replica taking over diffs against what subscribers last received.
   */
  claim(): Promise<{ held: boolean; snapshot: FeedSnapshot | undefined }>;
  /**
   * Publishes (and, for an update, stores) `message` if this replica still holds the lock, and
   * keeps the lock `holdMs` longer; `message` undefined only renews. Resolves with the update's
   * seq (0 for errors and renewals), or undefined when the lock was lost: the result is dropped.
   */
  commit(message: BusMessage | undefined, holdMs: number): Promise<number | undefined>;
  /**
   * Stops hearing the feed. `release`: give up the lock if held, so another replica takes over
   * at its next tick; `forget`: also drop the stored list (the key is no longer accepted).
   */
  leave(options: { release: boolean; forget: boolean }): void;
}
