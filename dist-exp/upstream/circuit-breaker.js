import CircuitBreaker from 'opossum';
import { circuitOpen, ErrorCode, GatewayError } from '../errors.js';
/** Only failures of the upstream itself count; a caller's bad key or rate limit does not. */
const UPSTREAM_FAULTS = new Set([
    ErrorCode.UPSTREAM_UNAVAILABLE,
    ErrorCode.UPSTREAM_TIMEOUT,
]);
/**
 * One circuit breaker per upstream (opossum). While open it answers UPSTREAM_UNAVAILABLE with
 * `circuitOpen: true` at once; after `resetMs` one probe call passes and its outcome closes or
 * reopens the circuit.
 */
export class UpstreamCircuitBreaker {
    #breaker;
    #resetSeconds;
    constructor(settings, logger) {
        this.#resetSeconds = Math.ceil(settings.resetMs / 1000);
        this.#breaker = new CircuitBreaker((call) => call(), {
            timeout: false, // the client's own deadline bounds every call
            errorThresholdPercentage: settings.errorPercent,
            volumeThreshold: settings.minCalls,
            rollingCountTimeout: settings.windowMs,
            resetTimeout: settings.resetMs,
            errorFilter: (error) => !(error instanceof GatewayError && UPSTREAM_FAULTS.has(error.code)),
        });
        this.#breaker.on('open', () => logger.warn({ event: 'circuit_open' }, 'AgentMC circuit opened: failing fast until a probe succeeds'));
        this.#breaker.on('halfOpen', () => logger.info({ event: 'circuit_half_open' }, 'AgentMC circuit probing'));
        this.#breaker.on('close', () => logger.info({ event: 'circuit_closed' }, 'AgentMC circuit closed'));
    }
    get state() {
        if (this.#breaker.opened)
            return 'open';
        return this.#breaker.halfOpen ? 'half-open' : 'closed';
    }
    async run(call) {
        try {
            return (await this.#breaker.fire(call));
        }
        catch (error) {
            if (error.code === 'EOPENBREAKER')
                throw circuitOpen(this.#resetSeconds);
            throw error;
        }
    }
    shutdown() {
        this.#breaker.shutdown();
    }
}
//# sourceMappingURL=circuit-breaker.js.map