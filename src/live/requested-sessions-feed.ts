import { Repeater } from 'graphql-yoga';
import { callerWithSignal, type Caller } from '../caller.js';
import type { Logger } from '../logger.js';
import type { AgentMcClient } from '../upstream/client.js';
import type { RequestedSessionsScope } from '../upstream/routes.js';
import type { FeedBus } from './feed-bus.js';
import type { FeedEvent } from './feed-events.js';
import { Poller, type Listener, type PollerSettings } from './poller.js';
import { SubscriptionCaps, type SubscriptionLimits } from './subscription-caps.js';

// The feed's events and its bus, importable from here too (tests name `BusMessage` so).
export type { FeedBus, FeedLink } from './feed-bus.js';
export type { BusMessage, FeedEvent, FeedFailure, FeedSnapshot, SessionsUpdate } from './feed-events.js';

export interface FeedSettings extends PollerSettings, SubscriptionLimits {}

/**
 * Turns AgentMC's polled list into push: one poller per (API key, agent or host, limit), however many
 * subscribers share it, polling at an interval, emitting only when the list changed, and
 * stopping when its last subscriber leaves. Subscribers of different keys never share.
 * With a bus, one poller per (API key, agent or host, limit) across all replicas: see FeedBus.
 */
export class RequestedSessionsFeeds {
  readonly #pollers = new Map<string, Poller>();

  constructor(
    private readonly client: AgentMcClient,
    private readonly settings: FeedSettings,
    private readonly logger: Logger,
    private readonly bus?: FeedBus,
    /** Shared with the other feeds (signals), so the caps bound all live subscriptions together. */
    readonly caps: SubscriptionCaps = new SubscriptionCaps(settings),
  ) {}

  /** Pollers running now; for tests and metrics. */
  get pollers(): number {
    return this.#pollers.size;
  }

  /** The caller's stream of updates. Throws TOO_MANY_SUBSCRIPTIONS past the caps. */
  subscribe(caller: Caller, scope: RequestedSessionsScope): AsyncIterable<FeedEvent> {
    const { digest } = caller;
    const release = this.caps.take(digest);
    // `*`: the key's own list (agent key) or the whole host's (host key, no agent).
    const key = `${digest}:${scope.agentId ?? '*'}:${scope.limit}`;

    return new Repeater<FeedEvent>(async (push, stop) => {
      const listener: Listener = (event) => {
        void push(event);
        if (event.kind === 'error' && event.final) stop();
      };
      let poller = this.#pollers.get(key);
      if (poller === undefined) {
        poller = new Poller(
          this.client,
          // The poller outlives its first subscriber's request: it keeps none of its signal.
          callerWithSignal(caller, undefined),
          scope,
          this.settings,
          this.logger,
          this.bus === undefined ? undefined : { bus: this.bus, feedId: key },
        );
        this.#pollers.set(key, poller);
      }
      poller.add(listener);
      await stop;
      poller.remove(listener);
      if (poller.idle && this.#pollers.get(key) === poller) this.#pollers.delete(key);
      release();
    });
  }

  /** Ends every stream, e.g. on shutdown, so long-lived connections let the server close. */
  close(): void {
    for (const poller of this.#pollers.values()) poller.end();
    this.#pollers.clear();
  }
}
