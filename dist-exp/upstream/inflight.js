import { requestCancelled } from '../errors.js';
/**
 * Shares one in-flight call among concurrent callers asking the same thing, the way routers
 * deduplicate subgraph fetches: many tabs polling one agent cost the upstream one request. The
 * key must hold the credential (a hash of it) as well as the arguments. Nothing is kept once the
 * call settles: this is not a cache. A caller that goes away stops waiting; the call itself is
 * aborted only when every caller has gone.
 */
export class InflightShare {
    #calls = new Map();
    run(key, call, callerSignal) {
        let shared = this.#calls.get(key);
        if (shared === undefined) {
            const controller = new AbortController();
            const created = {
                controller,
                waiters: 0,
                result: call(controller.signal).finally(() => this.#calls.delete(key)),
            };
            // Every caller may leave; the shared promise must never count as unhandled.
            created.result.catch(() => undefined);
            this.#calls.set(key, created);
            shared = created;
        }
        return this.#wait(shared, callerSignal);
    }
    /** Whether a call for `key` is in flight now, which a new caller would join. */
    has(key) {
        return this.#calls.has(key);
    }
    #wait(shared, callerSignal) {
        shared.waiters += 1;
        if (callerSignal === undefined)
            return shared.result;
        return new Promise((resolve, reject) => {
            const leave = () => {
                shared.waiters -= 1;
                if (shared.waiters === 0)
                    shared.controller.abort(callerSignal.reason);
                reject(requestCancelled(callerSignal.reason));
            };
            if (callerSignal.aborted)
                return leave();
            callerSignal.addEventListener('abort', leave, { once: true });
            shared.result.then((value) => {
                callerSignal.removeEventListener('abort', leave);
                resolve(value);
            }, (error) => {
                callerSignal.removeEventListener('abort', leave);
                reject(error);
            });
        });
    }
}
//# sourceMappingURL=inflight.js.map