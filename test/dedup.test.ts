import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { json, startFakeUpstream, type FakeUpstream } from './support/fake-upstream.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { sessionsPayload } from './support/sessions.js';

const headers = { 'x-api-key': 'mca_dedup_tests' };

let upstream: FakeUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gateway = await startTestGateway(upstream.baseUrl);
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.requests.length = 0;
  upstream.respondWith(json(200, sessionsPayload()));
});

describe('one GraphQL request', () => {
  it('shares one upstream call among aliases and fragments with the same limit', async () => {
    const response = await gateway.query(
      /* GraphQL */ `
        query {
          agent {
            a: requestedSessions(limit: 5) { id }
            b: requestedSessions(limit: 5) { status }
            ...More
          }
          again: agent { requestedSessions(limit: 5) { id } }
        }
        fragment More on Agent { c: requestedSessions(limit: 5) { teamId } }
      `,
      { headers },
    );

    expect(response.body.errors).toBeUndefined();
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]?.query.get('limit')).toBe('5');
  });

  it('treats the default and an explicit 20 as the same call', async () => {
    await gateway.query('{ agent { a: requestedSessions { id } b: requestedSessions(limit: 20) { id } } }', { headers });

    expect(upstream.requests).toHaveLength(1);
  });

  it('makes one call per distinct limit', async () => {
    await gateway.query(
      '{ agent { a: requestedSessions(limit: 1) { id } b: requestedSessions(limit: 2) { id } c: requestedSessions(limit: 1) { id } } }',
      { headers },
    );

    expect(upstream.requests.map((r) => r.query.get('limit')).sort()).toEqual(['1', '2']);
  });
});

describe('separate GraphQL requests', () => {
  it('never share a result: each request calls the upstream itself', async () => {
    await gateway.query('{ agent { requestedSessions(limit: 5) { id } } }', { headers });
    await gateway.query('{ agent { requestedSessions(limit: 5) { id } } }', { headers });

    expect(upstream.requests).toHaveLength(2);
  });
});
