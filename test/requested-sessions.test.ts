import { describe, expect, it } from 'vitest';
import { json, SESSIONS_PATH } from './support/fake-upstream.js';
import { useGateway } from './support/harness.js';
import { fullSession, session, sessionsPayload, sparseSession } from './support/sessions.js';

const KEY = 'mca_happy_path_key_123';
const ALL_FIELDS = /* GraphQL */ `
  query All($limit: Int) {
    agent {
      requestedSessions(limit: $limit) {
        id
        teamId
        agentId
        requestedByUserId
        status
        upstreamStatus
        claimedAt
        openedAt
        closedAt
        expiresAt
        lastBrowserHeartbeatAt
        lastAgentHeartbeatAt
        createdAt
        updatedAt
        meta
        socket {
          connection {
            driver
            key
            cluster
            host
            port
            scheme
            path
          }
          channel
          event
          authEndpoint
        }
      }
    }
  }
`;

const harness = useGateway();

function sessionsOf(body: { data?: Record<string, unknown> | null }): Record<string, unknown>[] {
  return (body.data?.agent as { requestedSessions: Record<string, unknown>[] }).requestedSessions;
}

describe('agent.requestedSessions', () => {
  it('maps every field from snake_case REST to camelCase GraphQL', async () => {
    const response = await harness.gateway.query(ALL_FIELDS, { headers: { 'x-api-key': KEY } });

    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    const [full, sparse] = sessionsOf(response.body);
    expect(full).toEqual({
      id: '501',
      teamId: '12',
      agentId: '77',
      requestedByUserId: '9001',
      status: 'REQUESTED',
      upstreamStatus: 'requested',
      claimedAt: '2026-02-22T17:21:00.000Z',
      openedAt: '2026-02-22T17:22:30.500Z',
      // An offset is normalised to UTC.
      closedAt: '2026-02-22T16:00:00.000Z',
      expiresAt: '2026-02-22T17:31:00.000Z',
      lastBrowserHeartbeatAt: '2026-02-22T17:25:00.123Z',
      lastAgentHeartbeatAt: '2026-02-22T17:25:01.000Z',
      createdAt: '2026-02-22T17:20:00.000Z',
      updatedAt: '2026-02-22T17:25:01.000Z',
      meta: fullSession.meta,
      socket: {
        connection: fullSession.socket.connection,
        channel: 'private-realtime-session.501',
        event: 'realtime.signal',
        authEndpoint: 'https://agentmc.example/broadcasting/auth',
      },
    });
    expect(sparse).toEqual({
      id: '502',
      teamId: '12',
      agentId: '77',
      requestedByUserId: null,
      status: 'EXPIRED',
      upstreamStatus: 'expired',
      claimedAt: null,
      openedAt: null,
      closedAt: null,
      expiresAt: null,
      lastBrowserHeartbeatAt: null,
      lastAgentHeartbeatAt: null,
      createdAt: null,
      updatedAt: null,
      meta: null,
      socket: null,
    });
  });

  it('maps every documented status to its enum value', async () => {
    const statuses = ['requested', 'claimed', 'active', 'closed', 'failed', 'expired'];
    harness.upstream.respondWith(
      json(200, sessionsPayload(statuses.map((status, i) => session(i + 1, status)))),
    );

    const response = await harness.gateway.query('{ agent { requestedSessions { status } } }', {
      headers: { 'x-api-key': KEY },
    });

    expect(sessionsOf(response.body).map((s) => s.status)).toEqual(statuses.map((s) => s.toUpperCase()));
  });

  it('sends GET {base}/agents/realtime/sessions/requested with the default limit 20', async () => {
    await harness.gateway.query('{ agent { requestedSessions { id } } }', { headers: { 'x-api-key': KEY } });

    expect(harness.upstream.requests).toHaveLength(1);
    const [request] = harness.upstream.requests;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe(SESSIONS_PATH);
    expect(request?.query.get('limit')).toBe('20');
    expect(request?.headers['x-api-key']).toBe(KEY);
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['user-agent']).toMatch(/^agentmc-graphql\/\d+\.\d+\.\d+/);
    // Tracing is off unless configured: nothing else is added.
    expect(request?.headers.traceparent).toBeUndefined();
  });

  it('sends an explicit limit, literal or variable', async () => {
    await harness.gateway.query('{ agent { requestedSessions(limit: 3) { id } } }', {
      headers: { 'x-api-key': KEY },
    });
    await harness.gateway.query(ALL_FIELDS, { variables: { limit: 100 }, headers: { 'x-api-key': KEY } });
    await harness.gateway.query(ALL_FIELDS, { variables: { limit: 1 }, headers: { 'x-api-key': KEY } });

    expect(harness.upstream.requests.map((r) => r.query.get('limit'))).toEqual(['3', '100', '1']);
  });

  it('ignores unknown upstream fields and reads an empty PHP array as an empty meta object', async () => {
    harness.upstream.respondWith(
      json(200, {
        data: [{ ...sparseSession, meta: [], brand_new_field: { x: 1 } }],
        links: { next: null },
      }),
    );

    const response = await harness.gateway.query('{ agent { requestedSessions { id meta } } }', {
      headers: { 'x-api-key': KEY },
    });

    expect(response.body).toEqual({ data: { agent: { requestedSessions: [{ id: '502', meta: {} }] } } });
  });

  it('returns an empty list when the agent has no requested sessions', async () => {
    harness.upstream.respondWith(json(200, { data: [] }));

    const response = await harness.gateway.query('{ agent { requestedSessions { id } } }', {
      headers: { 'x-api-key': KEY },
    });

    expect(response.body).toEqual({ data: { agent: { requestedSessions: [] } } });
  });

  it('accepts a JSON content type with parameters and a +json suffix', async () => {
    harness.upstream.respondWith((response) => {
      response.writeHead(200, { 'content-type': 'application/vnd.agentmc+json; charset=utf-8' });
      response.end(JSON.stringify(sessionsPayload([sparseSession])));
    });

    const response = await harness.gateway.query('{ agent { requestedSessions { id } } }', {
      headers: { 'x-api-key': KEY },
    });

    expect(sessionsOf(response.body)).toEqual([{ id: '502' }]);
  });
});

describe('an upstream status this gateway does not know', () => {
  it('is served as UNKNOWN with upstreamStatus, keeps the rest of the list, and warns once', async () => {
    harness.upstream.respondWith(
      json(200, sessionsPayload([session(1, 'requested'), session(2, 'paused'), session(3, 'active')])),
    );
    const query = '{ agent { requestedSessions { id status upstreamStatus } } }';

    const first = await harness.gateway.query(query, { headers: { 'x-api-key': KEY } });
    await harness.gateway.query(query, { headers: { 'x-api-key': KEY } });

    expect(first.body.errors).toBeUndefined();
    expect(sessionsOf(first.body)).toEqual([
      { id: '1', status: 'REQUESTED', upstreamStatus: 'requested' },
      { id: '2', status: 'UNKNOWN', upstreamStatus: 'paused' },
      { id: '3', status: 'ACTIVE', upstreamStatus: 'active' },
    ]);
    const warnings = harness.gateway.logs.filter(
      (line) =>
        line.level === 'warn' && line.event === 'unknown_session_status' && line.upstreamStatus === 'paused',
    );
    expect(warnings).toHaveLength(1);
  });
});
