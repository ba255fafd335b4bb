// Over 250 lines: the schema over both API generations, one fake server each; the cases share its fixtures.
import { describe, expect, it } from 'vitest';
import {
  AGENT_ID_HEADER,
  AGENT_ID_QUERY,
  AGENTS_PATHS,
  API_PREFIX,
  errorEnvelope,
  HOSTS_PATHS,
  OPENAPI_DOCUMENT_PATH,
  openApiDocument,
  requestedSessionsBody,
  routeMissBody,
  wireSession,
  type WireSession,
} from '../src/agentmc-wire.js';
import { agentmc, envelope, json, type RecordedRequest, type Responder } from './support/fake-upstream.js';
import { useGateway, type Harness } from './support/harness.js';

/*
 * The hosts generation of the AgentMC API (host keys `cc_…`, `/hosts/realtime/...`, the agent
 * named per call by `X-Agent-Id`) beside the agents generation (agent keys `mca_…`, where the key
 * is the agent). Each fake server here speaks one generation as AgentMC does: the other
 * generation's routes are route misses (the framework's 404, not the API's envelope).
 */

const HOST_KEY = 'cc_host_alpha_key_01';
const AGENT_KEY = 'mca_agents_generation_key';
const HOSTS_SESSIONS = `${API_PREFIX}${HOSTS_PATHS.listAgentRealtimeRequestedSessions}`;
const AGENTS_SESSIONS = `${API_PREFIX}${AGENTS_PATHS.listAgentRealtimeRequestedSessions}`;
const INSTRUCTIONS = `${API_PREFIX}${AGENTS_PATHS.getAgentInstructions}`;

/** The demo host's agents and their sessions: agent 7 has a requested one, agent 8 a claimed and an active one. */
const SESSIONS_BY_AGENT: Readonly<Record<string, WireSession[]>> = {
  '7': [wireSession({ id: 701, team_id: 12, agent_id: 7, status: 'requested', requested_by_user_id: 9001 })],
  '8': [
    wireSession({ id: 801, team_id: 12, agent_id: 8, status: 'claimed' }),
    wireSession({ id: 802, team_id: 12, agent_id: 8, status: 'active' }),
  ],
  '9': [],
};

/** The agent a hosts-generation request acts for: `X-Agent-Id`, else `agent_id`, else none (the host). */
function actingAgent(request: RecordedRequest): string | undefined {
  const header = request.headers[AGENT_ID_HEADER];
  return (typeof header === 'string' ? header : undefined) ?? request.query.get(AGENT_ID_QUERY) ?? undefined;
}

/** Known paths answer; any other is a route miss, as a Laravel server renders it. */
function server(byPath: Record<string, Responder>): Responder {
  return (response, request) =>
    (byPath[request.path] ?? json(404, routeMissBody(request.path)))(response, request);
}

/**
 * A hosts-generation server: the host-wide list without an agent (claimed and active sessions
 * too), one agent's list with one, 403 for an agent not on the host.
 */
function hostsServer(sessions: Record<string, WireSession[]> = SESSIONS_BY_AGENT): Responder {
  return server({
    [OPENAPI_DOCUMENT_PATH]: json(200, openApiDocument(Object.values(HOSTS_PATHS))),
    [HOSTS_SESSIONS]: (response, request) => {
      const limit = Number(request.query.get('limit') ?? '20');
      const agent = actingAgent(request);
      if (agent === undefined) {
        return json(200, requestedSessionsBody(Object.values(sessions).flat().slice(0, limit)))(
          response,
          request,
        );
      }
      const list = sessions[agent];
      if (list === undefined) {
        return envelope(403, {
          code: 'forbidden',
          message: `This host key may not act for agent ${agent}.`,
        })(response, request);
      }
      json(200, requestedSessionsBody(list.slice(0, limit)))(response, request);
    },
  });
}

const sessionsRequests = (harness: Harness) =>
  harness.upstream.requests.filter((request) => request.path !== OPENAPI_DOCUMENT_PATH);

describe('the hosts generation (AGENTMC_API_GENERATION=hosts)', () => {
  const harness = useGateway({ AGENTMC_API_GENERATION: 'hosts' });
  const headers = { 'x-api-key': HOST_KEY };

  it('agent(id:) lists that agent’s sessions from GET /hosts/realtime/sessions/requested with X-Agent-Id', async () => {
    harness.upstream.respondWith(hostsServer());

    const response = await harness.gateway.query(
      '{ agent(id: "7") { id requestedSessions(limit: 3) { id agentId status } } }',
      { headers },
    );

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      data: { agent: { id: '7', requestedSessions: [{ id: '701', agentId: '7', status: 'REQUESTED' }] } },
    });
    expect(harness.upstream.requests).toHaveLength(1);
    const [request] = harness.upstream.requests;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe(HOSTS_SESSIONS);
    expect(request?.query.get('limit')).toBe('3');
    expect(request?.headers['x-api-key']).toBe(HOST_KEY);
    expect(request?.headers[AGENT_ID_HEADER]).toBe('7');
  });

  it('Agent.id is the id the request named, with no upstream call', async () => {
    harness.upstream.respondWith(hostsServer());

    const response = await harness.gateway.query('{ agent(id: "8") { id } }', { headers });

    expect(response.body).toEqual({ data: { agent: { id: '8' } } });
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('two agents of one host in one request: one call each, each with its own X-Agent-Id and list', async () => {
    harness.upstream.respondWith(hostsServer());

    const response = await harness.gateway.query(
      '{ a: agent(id: "7") { requestedSessions { id } } b: agent(id: "8") { requestedSessions { id } } }',
      { headers },
    );

    expect(response.body).toEqual({
      data: {
        a: { requestedSessions: [{ id: '701' }] },
        b: { requestedSessions: [{ id: '801' }, { id: '802' }] },
      },
    });
    expect(harness.upstream.requests.map((request) => request.headers[AGENT_ID_HEADER]).sort()).toEqual([
      '7',
      '8',
    ]);
    for (const request of harness.upstream.requests) {
      expect(request.path).toBe(HOSTS_SESSIONS);
      expect(request.query.get('limit')).toBe('20');
    }
  });

  it('host.requestedSessions lists the whole host without X-Agent-Id, claimed and active sessions too', async () => {
    harness.upstream.respondWith(hostsServer());

    const response = await harness.gateway.query(
      '{ host { requestedSessions(limit: 50) { id agentId status } } }',
      { headers },
    );

    expect(response.body).toEqual({
      data: {
        host: {
          requestedSessions: [
            { id: '701', agentId: '7', status: 'REQUESTED' },
            { id: '801', agentId: '8', status: 'CLAIMED' },
            { id: '802', agentId: '8', status: 'ACTIVE' },
          ],
        },
      },
    });
    expect(harness.upstream.requests).toHaveLength(1);
    const [request] = harness.upstream.requests;
    expect(request?.path).toBe(HOSTS_SESSIONS);
    expect(request?.query.get('limit')).toBe('50');
    expect(request?.query.get(AGENT_ID_QUERY)).toBeNull();
    expect(request?.headers[AGENT_ID_HEADER]).toBeUndefined();
    expect(request?.headers['x-api-key']).toBe(HOST_KEY);
  });

  it('host.requestedSessions defaults to limit 20', async () => {
    harness.upstream.respondWith(hostsServer());

    await harness.gateway.query('{ host { requestedSessions { id } } }', { headers });

    expect(harness.upstream.requests.map((request) => request.query.get('limit'))).toEqual(['20']);
  });

  it('agent without id is BAD_USER_INPUT that says to pass the agent id, and calls nothing', async () => {
    harness.upstream.respondWith(hostsServer());

    const response = await harness.gateway.query('{ agent { requestedSessions { id } } }', { headers });

    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ agent: null });
    expect(response.body.errors).toHaveLength(1);
    const [error] = response.body.errors ?? [];
    expect(error?.message).toContain('pass the agent id');
    expect(error?.path?.[0]).toBe('agent');
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'id' });
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it.each([
    ['zero', '0'],
    ['a negative number', '-7'],
    ['a leading zero', '07'],
    ['a fraction', '7.5'],
    ['letters', 'seven'],
    ['digits and letters', '7a'],
    ['a space', ' 7'],
    ['an empty string', ''],
    ['twenty digits', '1'.repeat(20)],
  ])('an agent id that is %s is BAD_USER_INPUT naming id, before any upstream call', async (_case, id) => {
    harness.upstream.respondWith(hostsServer());

    const response = await harness.gateway.query(
      'query ($id: ID) { agent(id: $id) { id requestedSessions { id } } }',
      { variables: { id }, headers },
    );

    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ agent: null });
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'id',
    });
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('an agent id given as an integer variable is that agent', async () => {
    harness.upstream.respondWith(hostsServer());

    const response = await harness.gateway.query(
      'query ($id: ID) { agent(id: $id) { id requestedSessions { id } } }',
      { variables: { id: 7 }, headers },
    );

    expect(response.body).toEqual({ data: { agent: { id: '7', requestedSessions: [{ id: '701' }] } } });
    expect(harness.upstream.requests.map((request) => request.headers[AGENT_ID_HEADER])).toEqual(['7']);
  });

  it('an agent not on the host: the 403 is FORBIDDEN with the upstream details', async () => {
    harness.upstream.respondWith(hostsServer());

    const response = await harness.gateway.query('{ agent(id: "99") { requestedSessions { id } } }', {
      headers,
    });

    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ agent: null });
    expect(response.body.errors).toHaveLength(1);
    const [error] = response.body.errors ?? [];
    expect(error?.path).toEqual(['agent', 'requestedSessions']);
    expect(error?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      upstream: { status: 403, code: 'forbidden', message: 'This host key may not act for agent 99.' },
    });
    expect(harness.upstream.requests).toHaveLength(1);
    expect(harness.upstream.requests[0]?.headers[AGENT_ID_HEADER]).toBe('99');
  });

  it('a 410 is NOT_FOUND with the upstream details', async () => {
    harness.upstream.respondWith(
      server({ [HOSTS_SESSIONS]: envelope(410, { code: 'gone', message: 'This agent was removed.' }) }),
    );

    const response = await harness.gateway.query('{ agent(id: "7") { requestedSessions { id } } }', {
      headers,
    });

    expect(response.body.data).toEqual({ agent: null });
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      upstream: { status: 410, code: 'gone', message: 'This agent was removed.' },
    });
  });

  it('a documented 404 (with the envelope) is NOT_FOUND', async () => {
    harness.upstream.respondWith(
      server({ [HOSTS_SESSIONS]: json(404, errorEnvelope('not_found', 'Agent not found.')) }),
    );

    const response = await harness.gateway.query('{ agent(id: "7") { requestedSessions { id } } }', {
      headers,
    });

    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      upstream: { status: 404, code: 'not_found' },
    });
  });

  it('never calls an agents route, nor reads the published document', async () => {
    harness.upstream.respondWith(hostsServer());

    await harness.gateway.query(
      '{ agent(id: "7") { id requestedSessions { id agent { id } } } host { requestedSessions { id } } }',
      { headers },
    );

    expect(harness.upstream.requests.length).toBeGreaterThan(0);
    expect(harness.upstream.requests.every((request) => request.path === HOSTS_SESSIONS)).toBe(true);
  });

  it('_entities for RealtimeSession finds sessions in the host-wide list (limit 100)', async () => {
    harness.upstream.respondWith(hostsServer());

    const response = await harness.gateway.query(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on RealtimeSession { id agentId status } }
      }`,
      {
        variables: {
          representations: ['802', '999', '701'].map((id) => ({ __typename: 'RealtimeSession', id })),
        },
        headers,
      },
    );

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({
      _entities: [
        { id: '802', agentId: '8', status: 'ACTIVE' },
        null,
        { id: '701', agentId: '7', status: 'REQUESTED' },
      ],
    });
    // 999 is not listed: read once through its signals (limit 1), which this upstream misses (null).
    expect(harness.upstream.requests.map((request) => [request.path, request.query.get('limit')])).toEqual([
      [HOSTS_SESSIONS, '100'],
      ['/api/v1/hosts/realtime/sessions/999/signals', '1'],
    ]);
    for (const request of harness.upstream.requests) expect(request.headers[AGENT_ID_HEADER]).toBeUndefined();
  });

  it('without a key, agent(id:) and host are UNAUTHENTICATED and nothing is called', async () => {
    harness.upstream.respondWith(hostsServer());

    const response = await harness.gateway.query(
      '{ agent(id: "7") { requestedSessions { id } } host { requestedSessions { id } } }',
    );

    expect(response.body.data).toEqual({ agent: null, host: null });
    expect(response.body.errors?.map((error) => error.extensions?.code)).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
    ]);
    expect(sessionsRequests(harness)).toHaveLength(0);
  });
});

describe('the agents generation (AGENTMC_API_GENERATION=agents)', () => {
  const harness = useGateway({ AGENTMC_API_GENERATION: 'agents' });
  const headers = { 'x-api-key': AGENT_KEY };

  it('agent without id uses /agents routes and never sends X-Agent-Id', async () => {
    const response = await harness.gateway.query('{ agent { id requestedSessions(limit: 2) { id } } }', {
      headers,
    });

    expect(response.body).toEqual({
      data: { agent: { id: '77', requestedSessions: [{ id: '501' }, { id: '502' }] } },
    });
    expect(harness.upstream.requests.map((request) => request.path).sort()).toEqual([
      INSTRUCTIONS,
      AGENTS_SESSIONS,
    ]);
    for (const request of harness.upstream.requests) {
      expect(request.headers[AGENT_ID_HEADER]).toBeUndefined();
      expect(request.query.get(AGENT_ID_QUERY)).toBeNull();
      expect(request.headers['x-api-key']).toBe(AGENT_KEY);
    }
    expect(
      harness.upstream.requests.find((request) => request.path === AGENTS_SESSIONS)?.query.get('limit'),
    ).toBe('2');
  });

  it('agent(id:) naming the key’s own agent is served, without X-Agent-Id', async () => {
    const response = await harness.gateway.query('{ agent(id: "77") { id requestedSessions { id } } }', {
      headers,
    });

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({
      agent: { id: '77', requestedSessions: [{ id: '501' }, { id: '502' }] },
    });
    expect(harness.upstream.requests.some((request) => request.path === INSTRUCTIONS)).toBe(true);
    for (const request of harness.upstream.requests) {
      expect([INSTRUCTIONS, AGENTS_SESSIONS]).toContain(request.path);
      expect(request.headers[AGENT_ID_HEADER]).toBeUndefined();
    }
  });

  it('agent(id:) naming another agent is FORBIDDEN, and serves none of the key’s sessions', async () => {
    const response = await harness.gateway.query('{ agent(id: "78") { id requestedSessions { id } } }', {
      headers,
    });

    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ agent: null });
    expect(response.body.errors?.length).toBeGreaterThan(0);
    expect(response.body.errors?.every((error) => error.extensions?.code === 'FORBIDDEN')).toBe(true);
    expect(response.body.errors?.every((error) => error.path?.[0] === 'agent')).toBe(true);
    expect(harness.upstream.requests.filter((request) => request.path === INSTRUCTIONS)).toHaveLength(1);
    expect(response.text).not.toContain('501');
  });

  it('agent(id:) that is not a positive integer is BAD_USER_INPUT naming id, before any call', async () => {
    const response = await harness.gateway.query('{ agent(id: "agent-77") { id } }', { headers });

    expect(response.body.data).toEqual({ agent: null });
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'id',
    });
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('host is NOT_OFFERED_BY_UPSTREAM, naming AGENTMC_API_GENERATION, and calls nothing', async () => {
    const response = await harness.gateway.query('{ host { requestedSessions { id } } }', { headers });

    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ host: null });
    expect(response.body.errors).toHaveLength(1);
    const [error] = response.body.errors ?? [];
    expect(error?.path?.[0]).toBe('host');
    expect(error?.extensions?.code).toBe('NOT_OFFERED_BY_UPSTREAM');
    expect(error?.message).toContain('AGENTMC_API_GENERATION');
    expect(harness.upstream.requests).toHaveLength(0);
  });

  it('host beside agent: agent is still served', async () => {
    const response = await harness.gateway.query(
      '{ agent { requestedSessions(limit: 1) { id } } host { requestedSessions { id } } }',
      { headers },
    );

    expect(response.body.data).toEqual({
      agent: { requestedSessions: [{ id: '501' }, { id: '502' }] },
      host: null,
    });
    expect(response.body.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_OFFERED_BY_UPSTREAM']);
    expect(harness.upstream.requests.map((request) => request.path)).toEqual([AGENTS_SESSIONS]);
  });

  it('a 410 is NOT_FOUND with the upstream details', async () => {
    harness.upstream.respondWith(agentmc(envelope(410, { code: 'gone', message: 'Agent retired.' })));

    const response = await harness.gateway.query('{ agent { requestedSessions { id } } }', { headers });

    expect(response.body.data).toEqual({ agent: null });
    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      upstream: { status: 410, code: 'gone', message: 'Agent retired.' },
    });
  });
});
