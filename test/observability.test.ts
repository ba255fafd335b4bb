import { describe, expect, it } from 'vitest';
import { agentmc, envelope, raw, sequence } from './support/fake-upstream.js';
import { useGateway } from './support/harness.js';

const headers = { 'x-api-key': 'mca_observed_key' };
const NAMED = 'query RequestedSessions { agent { requestedSessions(limit: 2) { id } } }';

async function scrape(url: URL): Promise<string> {
  const response = await fetch(new URL('/metrics', url));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
}

/** The value of one sample, e.g. `metric{a="b"}`; labels in the order the registry prints them. */
function sample(metrics: string, name: string, labels: Record<string, string>): number | undefined {
  const line = metrics
    .split('\n')
    .find(
      (candidate) =>
        candidate.startsWith(`${name}{`) &&
        Object.entries(labels).every(([key, value]) => candidate.includes(`${key}="${value}"`)),
    );
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('Prometheus metrics at /metrics', () => {
  const harness = useGateway({ UPSTREAM_RETRY_BASE_MS: '5' });

  it('count and time GraphQL operations by name and outcome', async () => {
    await harness.gateway.query(NAMED, { headers });
    await harness.gateway.query(NAMED, { headers });
    harness.upstream.respondWith(envelope(401, { code: 'unauthenticated', message: 'No.' }));
    await harness.gateway.query(NAMED, { headers });
    await harness.gateway.query('query Broken { agent { nope } }', { headers });

    const metrics = await scrape(harness.gateway.url);
    const labels = { operation_name: 'RequestedSessions', operation_type: 'query' };
    expect(sample(metrics, 'agentmc_graphql_operations_total', { ...labels, outcome: 'success' })).toBe(2);
    // An upstream 401 leaves `agent: null` with an error: data and errors, a partial outcome.
    expect(sample(metrics, 'agentmc_graphql_operations_total', { ...labels, outcome: 'partial' })).toBe(1);
    expect(
      sample(metrics, 'agentmc_graphql_operations_total', { operation_name: 'Broken', outcome: 'invalid' }),
    ).toBe(1);
    expect(
      sample(metrics, 'agentmc_graphql_operation_duration_seconds_count', { ...labels, outcome: 'success' }),
    ).toBe(2);
    // Every HTTP answer is timed by method and status; the scrape itself is not.
    const http = 'agentmc_graphql_http_request_duration_seconds_count';
    expect(sample(metrics, http, { method: 'POST', status_code: '200' })).toBe(4);
    expect(sample(metrics, http, { method: 'GET', status_code: '200' })).toBeUndefined();
  });

  it('count and time upstream requests by route and status, with retries and the breaker state', async () => {
    harness.upstream.respondWith(
      agentmc(sequence(raw(503, ''), raw(200, '{"data":[]}', { 'content-type': 'application/json' }))),
    );
    const before = await scrape(harness.gateway.url);
    await harness.gateway.query(NAMED, { headers });

    const metrics = await scrape(harness.gateway.url);
    const route = 'listAgentRealtimeRequestedSessions';
    /** How much one sample grew between the two scrapes (an absent sample is 0). */
    const growth = (name: string, labels: Record<string, string>) =>
      (sample(metrics, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    // One call, counted once with its final status; its first attempt's 503 is a retry.
    expect(growth('agentmc_upstream_requests_total', { route, status: '200' })).toBe(1);
    expect(growth('agentmc_upstream_requests_total', { route, status: '503' })).toBe(0);
    expect(growth('agentmc_upstream_retries_total', { route, reason: '503' })).toBe(1);
    expect(growth('agentmc_upstream_request_duration_seconds_count', { route, status: '200' })).toBe(1);
    // The earlier test's 401, still there.
    expect(sample(metrics, 'agentmc_upstream_requests_total', { route, status: '401' })).toBe(1);
    expect(metrics).toMatch(/^agentmc_upstream_circuit_state 0$/m);
  });

  it('never let clients grow the label set without bound', async () => {
    for (let i = 0; i < 120; i += 1) {
      await harness.gateway.query(`query Op${i} { __typename }`);
    }
    await harness.gateway.query('query { __typename }');

    const metrics = await scrape(harness.gateway.url);
    const names = new Set(
      [...metrics.matchAll(/^agentmc_graphql_operations_total\{operation_name="([^"]+)"/gm)].map(
        (match) => match[1],
      ),
    );
    // 100 names (the first come, first kept), then `other` for the rest, and `anonymous`.
    expect(names.size).toBe(102);
    expect(names).toContain('other');
    expect(names).toContain('anonymous');
  });
});

describe('request ids', () => {
  const harness = useGateway({ UPSTREAM_RETRY_ATTEMPTS: '1' });

  it('every response carries one, and the upstream request carries the same', async () => {
    const response = await harness.gateway.query(NAMED, { headers });

    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(harness.upstream.requests[0]?.headers['x-request-id']).toBe(id);
  });

  it("keeps the client's own id when it is a short token, and replaces one that is not", async () => {
    const kept = await harness.gateway.query(NAMED, {
      headers: { ...headers, 'x-request-id': 'trace-abc.123' },
    });
    const replaced = await harness.gateway.query(NAMED, {
      headers: { ...headers, 'x-request-id': `<script>${'x'.repeat(200)}` },
    });

    expect(kept.headers.get('x-request-id')).toBe('trace-abc.123');
    expect(harness.upstream.requests[0]?.headers['x-request-id']).toBe('trace-abc.123');
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is written in the log of a failed upstream call, beside the key hash, never the key', async () => {
    harness.upstream.respondWith(raw(503, ''));
    const response = await harness.gateway.query(NAMED, {
      headers: { ...headers, 'x-request-id': 'req-log-1' },
    });

    expect(response.headers.get('x-request-id')).toBe('req-log-1');
    const line = harness.gateway.logs.find(
      (entry) => entry.event === 'upstream_failure' && entry.requestId === 'req-log-1',
    );
    expect(line).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503 });
    expect(JSON.stringify(harness.gateway.logs)).not.toContain(headers['x-api-key']);
  });
});
