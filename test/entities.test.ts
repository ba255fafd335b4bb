import { describe, expect, it } from 'vitest';
import { agentmc, INSTRUCTIONS_PATH, json, SESSIONS_PATH } from './support/fake-upstream.js';
import { useGateway } from './support/harness.js';
import { session, sessionsPayload } from './support/sessions.js';

const headers = { 'x-api-key': 'mca_entities_tests' };
const harness = useGateway();

function callsTo(path: string): number {
  return harness.upstream.requests.filter((request) => request.path === path).length;
}

describe('the subgraph contract', () => {
  it('answers _service { sdl } with the federation v2 link and the keys', async () => {
    const response = await harness.gateway.query('{ _service { sdl } }');
    const sdl = (response.body.data?._service as { sdl: string }).sdl;

    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.6"');
    expect(sdl).toMatch(/type Agent\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type RealtimeSession\s+@key\(fields: "id"\)/);
    expect(harness.upstream.requests).toHaveLength(0);
  });
});

describe('Agent.id', () => {
  it('comes from GET /agents/instructions, fetched once per request however often it is asked', async () => {
    const response = await harness.gateway.query(
      '{ agent { id again: id requestedSessions(limit: 1) { agent { id } } } other: agent { id } }',
      { headers },
    );

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({
      agent: { id: '77', again: '77', requestedSessions: [{ agent: { id: '77' } }, { agent: { id: '77' } }] },
      other: { id: '77' },
    });
    expect(callsTo(INSTRUCTIONS_PATH)).toBe(1);
    expect(harness.upstream.requests.find((r) => r.path === INSTRUCTIONS_PATH)?.headers['x-api-key']).toBe(
      headers['x-api-key'],
    );
  });

  it('is not fetched when nobody asks for it', async () => {
    await harness.gateway.query('{ agent { requestedSessions { id } } }', { headers });

    expect(callsTo(INSTRUCTIONS_PATH)).toBe(0);
  });

  it('maps an upstream failure of the instructions call like any other', async () => {
    harness.upstream.respondWith(
      json(401, { error: { code: 'unauthenticated', message: 'Invalid API key.' } }),
    );
    const response = await harness.gateway.query('{ agent { id } }', { headers });

    expect(response.body.data).toEqual({ agent: null });
    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      upstream: { status: 401 },
    });
  });
});

const AGENT_ENTITIES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Agent {
        id
        requestedSessions(limit: 2) {
          id
        }
      }
    }
  }
`;

describe('_entities for Agent', () => {
  it("resolves the authenticated agent's own id", async () => {
    const response = await harness.gateway.query(AGENT_ENTITIES, {
      variables: { representations: [{ __typename: 'Agent', id: '77' }] },
      headers,
    });

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({
      _entities: [{ id: '77', requestedSessions: [{ id: '501' }, { id: '502' }] }],
    });
  });

  it("gives any other agent's id null and FORBIDDEN, and never fetches its sessions", async () => {
    const response = await harness.gateway.query(AGENT_ENTITIES, {
      variables: {
        representations: [
          { __typename: 'Agent', id: '78' },
          { __typename: 'Agent', id: '77' },
        ],
      },
      headers,
    });

    expect(response.body.data).toEqual({
      _entities: [null, { id: '77', requestedSessions: [{ id: '501' }, { id: '502' }] }],
    });
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors?.[0]?.path).toEqual(['_entities', 0]);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(callsTo(SESSIONS_PATH)).toBe(1);
    expect(callsTo(INSTRUCTIONS_PATH)).toBe(1);
  });

  it('without a key is UNAUTHENTICATED and calls nothing upstream', async () => {
    const response = await harness.gateway.query(AGENT_ENTITIES, {
      variables: { representations: [{ __typename: 'Agent', id: '77' }] },
    });

    expect(response.body.data).toEqual({ _entities: [null] });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(harness.upstream.requests).toHaveLength(0);
  });
});

describe('_entities for RealtimeSession', () => {
  const SESSION_ENTITIES = /* GraphQL */ `
    query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on RealtimeSession {
          id
          status
        }
      }
    }
  `;

  it('batches N representations into one upstream list call; an id not listed is read once through its signals (404: null)', async () => {
    harness.upstream.respondWith(
      agentmc(json(200, sessionsPayload([session(1), session(2, 'active'), session(3), session(4)]))),
    );
    const ids = ['4', '2', '999', '1', '2', '3'];

    const response = await harness.gateway.query(SESSION_ENTITIES, {
      variables: { representations: ids.map((id) => ({ __typename: 'RealtimeSession', id })) },
      headers,
    });

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({
      _entities: [
        { id: '4', status: 'REQUESTED' },
        { id: '2', status: 'ACTIVE' },
        null,
        { id: '1', status: 'REQUESTED' },
        { id: '2', status: 'ACTIVE' },
        { id: '3', status: 'REQUESTED' },
      ],
    });
    // The list (limit 100) answers five; 999, not listed, is looked up once with the signals list
    // (limit 1), which this upstream answers 404: null, no error.
    expect(harness.upstream.requests.map((request) => [request.path, request.query.get('limit')])).toEqual([
      [SESSIONS_PATH, '100'],
      ['/api/v1/agents/realtime/sessions/999/signals', '1'],
    ]);
  });

  it('shares the list call with a requestedSessions(limit: 100) field of the same request', async () => {
    await harness.gateway.query(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on RealtimeSession { id } }
        agent { requestedSessions(limit: 100) { id } }
      }`,
      { variables: { representations: [{ __typename: 'RealtimeSession', id: '501' }] }, headers },
    );

    expect(harness.upstream.requests).toHaveLength(1);
  });

  it('reports an upstream failure on every representation', async () => {
    // 500 is not retried, so one representation batch is exactly one upstream call.
    harness.upstream.respondWith(agentmc(json(500, {})));

    const response = await harness.gateway.query(SESSION_ENTITIES, {
      variables: {
        representations: [
          { __typename: 'RealtimeSession', id: '1' },
          { __typename: 'RealtimeSession', id: '2' },
        ],
      },
      headers,
    });

    expect(response.body.data).toEqual({ _entities: [null, null] });
    expect(response.body.errors?.map((error) => error.extensions?.code)).toEqual([
      'UPSTREAM_UNAVAILABLE',
      'UPSTREAM_UNAVAILABLE',
    ]);
    expect(harness.upstream.requests).toHaveLength(1);
  });
});

describe('references from a session', () => {
  it('requestedBy, team and agent are entity references by id', async () => {
    const response = await harness.gateway.query(
      '{ agent { requestedSessions { id requestedBy { id } team { id } agent { id } } } }',
      { headers },
    );

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({
      agent: {
        requestedSessions: [
          { id: '501', requestedBy: { id: '9001' }, team: { id: '12' }, agent: { id: '77' } },
          { id: '502', requestedBy: null, team: { id: '12' }, agent: { id: '77' } },
        ],
      },
    });
    // The agent id came from the session itself: no instructions call was needed.
    expect(callsTo(INSTRUCTIONS_PATH)).toBe(0);
  });
});
