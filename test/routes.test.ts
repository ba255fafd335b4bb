import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callerWithKey } from '../src/caller.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { GatewayMetrics } from '../src/metrics.js';
import { AgentMcClient } from '../src/upstream/client.js';
import { ROUTES, type Route } from '../src/upstream/routes.js';
import { delayed, json, startFakeUpstream, type FakeUpstream } from './support/fake-upstream.js';
import { sessionsPayload } from './support/sessions.js';

/** A route that must never be sent twice, as the mutations of the next API generation are. */
const postRoute: Route<{ session: number }, { ok: true }> = {
  operationId: 'claimTestSession',
  method: 'POST',
  paths: { agents: ({ session }) => `/agents/test/sessions/${session}/claim` },
  parse: (json) => ({ ok: true, value: json as { ok: true } }),
  idempotent: false,
};

describe('the route table', () => {
  it('names every row by its operationId, the `route` label of the metrics', () => {
    for (const [key, route] of Object.entries(ROUTES)) expect(route.operationId).toBe(key);
  });

  it('builds paths and query strings from params', () => {
    expect(ROUTES.listAgentRealtimeRequestedSessions.paths.agents({ limit: 7 })).toBe(
      '/agents/realtime/sessions/requested?limit=7',
    );
    expect(ROUTES.listAgentRealtimeRequestedSessions.paths.hosts({ limit: 7 })).toBe(
      '/hosts/realtime/sessions/requested?limit=7',
    );
    expect(ROUTES.getAgentInstructions.paths.agents()).toBe('/agents/instructions');
    // A host key alone names no agent: the hosts generation has no identity call.
    expect(Object.keys(ROUTES.getAgentInstructions.paths)).toEqual(['agents']);
  });
});

describe('AgentMcClient#call', () => {
  let upstream: FakeUpstream;
  let client: AgentMcClient;
  beforeAll(async () => {
    upstream = await startFakeUpstream();
    const config = loadConfig({ UPSTREAM_RETRY_BASE_MS: '1', BREAKER_MIN_CALLS: '10000' });
    const metrics = new GatewayMetrics(() => client.circuitState);
    client = new AgentMcClient({
      baseUrl: upstream.baseUrl,
      settings: config.upstream,
      apiGeneration: 'agents',
      userAgent: 'routes-test',
      logger: createLogger('silent'),
      metrics,
    });
  });
  afterAll(async () => {
    await client.close();
    await upstream.close();
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });

  const caller = callerWithKey('mca_routes', 'req-routes-1');

  it('shares concurrent identical idempotent calls and retries them', async () => {
    upstream.respondWith(delayed(50, json(200, sessionsPayload())));
    const route = ROUTES.listAgentRealtimeRequestedSessions;
    await Promise.all([client.call(caller, route, { limit: 5 }), client.call(caller, route, { limit: 5 })]);
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]?.headers['x-request-id']).toBe('req-routes-1');

    upstream.requests.length = 0;
    upstream.respondWith(json(503, {}));
    await expect(client.call(caller, route, { limit: 5 })).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE' },
    });
    expect(upstream.requests).toHaveLength(3);
  });

  it('sends a call that is not idempotent once per caller, never shared and never retried', async () => {
    upstream.respondWith(delayed(50, json(200, { ok: true })));
    const answers = await Promise.all([
      client.call(caller, postRoute, { session: 12 }),
      client.call(caller, postRoute, { session: 12 }),
    ]);
    expect(answers).toEqual([{ ok: true }, { ok: true }]);
    expect(upstream.requests.map(({ method, path }) => `${method} ${path}`)).toEqual([
      'POST /api/v1/agents/test/sessions/12/claim',
      'POST /api/v1/agents/test/sessions/12/claim',
    ]);

    upstream.requests.length = 0;
    upstream.respondWith(json(503, {}));
    await expect(client.call(caller, postRoute, { session: 12 })).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE' },
    });
    expect(upstream.requests).toHaveLength(1);
  });
});
