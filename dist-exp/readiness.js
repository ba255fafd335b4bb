/**
 * Ready means: the circuit is not open, and AgentMC answered (any status below 500) within the
 * last `cacheMs`. Without a recent answer one keyless probe is made, and its result reused for
 * `cacheMs`, so frequent readiness checks neither load AgentMC nor spend any caller's rate limit.
 */
export function createReadinessCheck(client, cacheMs) {
    let probe;
    return async () => {
        if (client.circuitState === 'open')
            return false;
        const now = Date.now();
        if (now - client.lastHealthyAnswerAt < cacheMs)
            return true;
        if (probe === undefined || now - probe.startedAt >= cacheMs) {
            probe = { startedAt: now, ready: client.probe() };
        }
        return probe.ready;
    };
}
//# sourceMappingURL=readiness.js.map