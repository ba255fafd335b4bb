import { requestCancelled } from '../errors.js';
import { CallAbort } from './call-abort.js';

/** How long a caller waits before its departure is watched (see `#wait`). */
const DEPARTURE_GRACE_MS = 50;

/** What a settled call's entry holds instead of its result; settled calls are never joined. */
const SETTLED: Promise<never> = new Promise<never>(() => undefined);

interface SharedCall<T> {
  result: Promise<T>;
  /** Aborts the call while it runs; dropped, with the result, once it settles. */
  abort: CallAbort | undefined;
  waiters: number;
  /** The request id of every caller that waited on the call, for its log lines. */
  requestIds: string[];
}

/**
 * Shares one in-flight call among concurrent callers asking the same thing, the way routers
 * deduplicate subgraph fetches: many tabs polling one agent cost the upstream one request. The
 * key must hold the credential (a hash of it) as well as the arguments. Nothing is kept once the
 * call settles: this is not a cache. A caller that goes away stops waiting (noticed once its call
 * has run for `DEPARTURE_GRACE_MS`); the call itself is aborted only when every caller has gone.
 *
 * The call gets the share's own `CallAbort`, so that its deadline aborts the same one: one per
 * upstream call.
 */
export class InflightShare {
  readonly #calls = new Map<string, SharedCall<unknown>>();

  run<T>(
    key: string,
    call: (abort: CallAbort, requestIds: readonly string[]) => Promise<T>,
    callerSignal?: () => AbortSignal | undefined,
    requestId?: string,
  ): Promise<T> {
    let shared = this.#calls.get(key) as SharedCall<T> | undefined;
    if (shared === undefined) {
      const abort = new CallAbort();
      // Grows as callers join, read when the call logs: every request can be followed to it.
      const requestIds: string[] = [];
      const created: SharedCall<T> = {
        abort,
        waiters: 0,
        requestIds,
        result: call(abort, requestIds).finally(() => {
          this.#calls.delete(key);
          // A Map's replaced hash tables keep their old entries, and young-generation collections
          // treat a dead old table as live: an entry still pointing at its call's promise or
          // signal kept every settled call's request alive into the old generation.
          created.result = SETTLED;
          created.abort = undefined;
        }),
      };
      // Every caller may leave; the shared promise must never count as unhandled.
      created.result.catch(() => undefined);
      this.#calls.set(key, created);
      shared = created;
    }
    if (requestId !== undefined) shared.requestIds.push(requestId);
    return this.#wait(shared, callerSignal);
  }

  /** Whether a call for `key` is in flight now, which a new caller would join. */
  has(key: string): boolean {
    return this.#calls.has(key);
  }

  #wait<T>(shared: SharedCall<T>, callerSignal: (() => AbortSignal | undefined) | undefined): Promise<T> {
    shared.waiters += 1;
    if (callerSignal === undefined) return shared.result;
    return new Promise<T>((resolve, reject) => {
      let signal: AbortSignal | undefined;
      const leave = () => {
        shared.waiters -= 1;
        if (shared.waiters === 0) shared.abort?.abort(signal?.reason);
        reject(requestCancelled(signal?.reason));
      };
      // Most calls settle within milliseconds, before a departure could save anything; reading
      // and listening to the caller's signal on every call cost about a tenth of the throughput.
      const watch = setTimeout(() => {
        signal = callerSignal();
        if (signal === undefined) return;
        if (signal.aborted) leave();
        else signal.addEventListener('abort', leave, { once: true });
      }, DEPARTURE_GRACE_MS);
      const settle = () => {
        clearTimeout(watch);
        signal?.removeEventListener('abort', leave);
      };
      shared.result.then(
        (value) => {
          settle();
          resolve(value);
        },
        (error: unknown) => {
          settle();
          reject(error);
        },
      );
    });
  }
}
