import { Repeater } from 'graphql-yoga';
import { callerWithSignal, type Caller } from '../caller.js';
import type { Logger } from '../logger.js';
import type { AgentMcClient } from '../upstream/client.js';
import { idAbove } from '../upstream/decimal-ids.js';
import type { DecimalId, RealtimeSignalList } from '../upstream/models.js';
import type { PollerSettings } from './poller.js';
import type { SignalBus, SignalEvent } from './signal-bus.js';
import {
  backoffMs,
  fetchSignals,
  isLastPage,
  pollFailure,
  SIGNALS_PAGE,
  type SignalsScope,
} from './signal-pages.js';
import { SignalPoller } from './signal-poller.js';
import { SignalSubscriber } from './signal-window.js';
import type { SubscriptionCaps } from './subscription-caps.js';

export type { SignalEvent } from './signal-bus.js';
export type { SignalsScope } from './signal-pages.js';

export interface SignalSubscription extends SignalsScope {
  /** Signals with a higher id only (a decimal id); `0` (FROM_START): every signal of the session. */
  readonly afterId: DecimalId;
}

/**
 * `realtimeSignalAdded`: AgentMC's signals list turned into push. One poller per (API key,
 * agent or none, session), however many subscribers share it, on this replica or (with a bus)
 * on all of them; it drains full pages at once, then asks again after `intervalMs`, and stops
 * when its last subscriber leaves. Each subscriber receives every signal above its own `afterId`,
 * in id order, exactly once (see SignalPoller), and its stream ends after the last signal of a
 * session that closed, failed or expired, or with a failure that will not heal.
 */
export class SignalFeeds {
  readonly #pollers = new Map<string, SignalPoller>();

  constructor(
    private readonly client: AgentMcClient,
    /** `intervalMs`: LIVE_SIGNALS_POLL_INTERVAL_MS; `maxBackoffMs`: LIVE_MAX_BACKOFF_MS. */
    private readonly settings: PollerSettings,
    /** The budget of live subscriptions, shared with the requested-sessions feeds. */
    private readonly caps: SubscriptionCaps,
    private readonly logger: Logger,
    private readonly bus?: SignalBus,
  ) {}

  /** Pollers running now; for tests and metrics. */
  get pollers(): number {
    return this.#pollers.size;
  }

  /** The caller's stream of signals. Throws TOO_MANY_SUBSCRIPTIONS past the caps. */
  subscribe(caller: Caller, subscription: SignalSubscription): AsyncIterable<SignalEvent> {
    const release = this.caps.take(caller.digest);
    const scope: SignalsScope = { sessionId: subscription.sessionId, agentId: subscription.agentId };
    // `*`: no X-Agent-Id (an agent key, or a host key naming no agent).
    const key = `${caller.digest}:${scope.agentId ?? '*'}:${scope.sessionId}`;

    return new Repeater<SignalEvent>(async (push, stop) => {
      let poller = this.#pollers.get(key);
      // A poller that stopped (its session ended, or a final failure) serves its own subscribers
      // to their end; a newcomer gets a fresh one, which asks AgentMC where the session stands.
      if (poller === undefined || poller.stopped) {
        poller = new SignalPoller(
          this.client,
          // The poller outlives its first subscriber's request: it keeps none of its signal.
          callerWithSignal(caller, undefined),
          scope,
          this.settings,
          this.logger,
          subscription.afterId,
          this.bus === undefined ? undefined : { bus: this.bus, feedId: key },
        );
        this.#pollers.set(key, poller);
      }
      const subscriber = new SignalSubscriber(subscription.afterId);
      // Its own catch-up calls stop when it leaves.
      const own = new AbortController();
      let stopped = false;
      void stop.then(() => {
        stopped = true;
        own.abort();
      });
      void subscriber.closing.then(() => own.abort());
      poller.add(subscriber);
      try {
        await this.#deliver(poller, subscriber, {
          push: (event) => push(event),
          stopped: () => stopped,
          interrupted: Promise.race([stop, subscriber.closing]),
          caller: callerWithSignal(caller, () => own.signal),
          scope,
        });
      } finally {
        stop();
        poller.remove(subscriber);
        if (poller.idle && this.#pollers.get(key) === poller) this.#pollers.delete(key);
        release();
      }
    });
  }

  /** Ends every stream, e.g. on shutdown, so long-lived connections let the server close. */
  close(): void {
    for (const poller of this.#pollers.values()) poller.end();
    this.#pollers.clear();
  }

  /** Feeds one subscriber until its stream ends: failures first, then signals in id order. */
  async #deliver(poller: SignalPoller, subscriber: SignalSubscriber, run: Delivery): Promise<void> {
    let failures = 0;
    while (!run.stopped()) {
      const notice = subscriber.notices.shift();
      if (notice !== undefined) {
        await run.push(notice);
        if (notice.final) return;
        continue;
      }
      const signals = poller.after(subscriber.lastId);
      if (signals === undefined) {
        // Older than the window: its own page, then look again.
        const outcome = await this.#catchUp(poller, subscriber, run, failures);
        if (outcome === 'done') return;
        failures = outcome === 'failed' ? failures + 1 : 0;
        continue;
      }
      for (const signal of signals) {
        if (run.stopped()) return;
        // Waits until the client asks for more: a slow client slows only itself.
        await run.push({ kind: 'signal', signal });
        subscriber.lastId = signal.id;
      }
      if (signals.length > 0) continue;
      if (poller.ended) return;
      await Promise.race([subscriber.changed(), run.interrupted]);
    }
  }

  /** One page from the subscriber's own `lastId`, for a subscriber older than the window. */
  async #catchUp(
    poller: SignalPoller,
    subscriber: SignalSubscriber,
    run: Delivery,
    failures: number,
  ): Promise<'done' | 'more' | 'failed'> {
    let list: RealtimeSignalList;
    try {
      list = await fetchSignals(this.client, run.caller, run.scope, subscriber.lastId);
    } catch (error) {
      if (run.stopped()) return 'done';
      const failure = pollFailure(error);
      await run.push(failure);
      if (failure.final) return 'done';
      await this.#pause(backoffMs(this.settings, failures + 1, failure.error), run);
      return 'failed';
    }
    for (const signal of list.signals) {
      if (run.stopped()) return 'done';
      if (!idAbove(signal.id, subscriber.lastId)) continue;
      await run.push({ kind: 'signal', signal });
      subscriber.lastId = signal.id;
    }
    if (list.signals.length >= SIGNALS_PAGE) return 'more';
    if (isLastPage(list)) return 'done';
    // The present, yet still older than the window: it opened above the signals that exist
    // (a first `afterId` ahead of them). This subscriber asks on its own until it reaches it.
    if (poller.after(subscriber.lastId) === undefined) await this.#pause(this.settings.intervalMs, run);
    return 'more';
  }

  async #pause(ms: number, run: Delivery): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, ms))), run.interrupted]);
    clearTimeout(timer);
  }
}

interface Delivery {
  push(event: SignalEvent): Promise<unknown>;
  stopped(): boolean;
  /** Resolves when the stream ends: the client left, or a final failure is queued. */
  interrupted: Promise<unknown>;
  /** The subscriber's own caller, for its catch-up pages. */
  caller: Caller;
  scope: SignalsScope;
}
