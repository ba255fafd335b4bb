import { describe, expect, it } from 'vitest';
import { useGateway } from './support/harness.js';

const headers = { 'x-api-key': 'mca_dedup_tests' };

const harness = useGateway();

describe('one GraphQL request', () => {
  it('shares one upstream call among aliases and fragments with the same limit', async () => {
    const response = await harness.gateway.query(
      /* GraphQL */ `
        query {
          agent {
            a: requestedSessions(limit: 5) {
              id
            }
            b: requestedSessions(limit: 5) {
              status
            }
            ...More
          }
          again: agent {
            requestedSessions(limit: 5) {
              id
            }
          }
        }
        fragment More on Agent {
          c: requestedSessions(limit: 5) {
            teamId
          }
        }
      `,
      { headers },
    );

    expect(response.body.errors).toBeUndefined();
    expect(harness.upstream.requests).toHaveLength(1);
    expect(harness.upstream.requests[0]?.query.get('limit')).toBe('5');
  });

  it('treats the default and an explicit 20 as the same call', async () => {
    await harness.gateway.query(
      '{ agent { a: requestedSessions { id } b: requestedSessions(limit: 20) { id } } }',
      { headers },
    );

    expect(harness.upstream.requests).toHaveLength(1);
  });

  it('makes one call per distinct limit', async () => {
    await harness.gateway.query(
      '{ agent { a: requestedSessions(limit: 1) { id } b: requestedSessions(limit: 2) { id } c: requestedSessions(limit: 1) { id } } }',
      { headers },
    );

    expect(harness.upstream.requests.map((r) => r.query.get('limit')).sort()).toEqual(['1', '2']);
  });
});

describe('separate GraphQL requests', () => {
  it('never share a result: each request calls the upstream itself', async () => {
    await harness.gateway.query('{ agent { requestedSessions(limit: 5) { id } } }', { headers });
    await harness.gateway.query('{ agent { requestedSessions(limit: 5) { id } } }', { headers });

    expect(harness.upstream.requests).toHaveLength(2);
  });
});
