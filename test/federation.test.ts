// Over 250 lines: both real gateways (Hive Gateway, Apollo) composed once for every federation case.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices as composeWithApollo } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { composeServices as composeWithTheGuild } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AGENT_ID_HEADER,
  API_PREFIX,
  HOSTS_PATHS,
  requestedSessionsBody,
  routeMissBody,
  wireSession,
} from '../src/agentmc-wire.js';
import {
  agentmc,
  envelope,
  INSTRUCTIONS_PATH,
  json,
  SESSIONS_PATH,
  type Responder,
} from './support/fake-upstream.js';
import { useGateway } from './support/harness.js';
import { startUsersSubgraph, usersTypeDefs, type UsersSubgraph } from './support/users-subgraph.js';

const KEY = 'mca_through_the_router';
const SUPERGRAPH_QUERY = '{ agent { id requestedSessions(limit: 3) { id status requestedBy { id name } } } }';
const subgraphSdl = readFileSync(new URL('../subgraph.graphql', import.meta.url), 'utf8');

const agentmcSubgraph = useGateway();
let users: UsersSubgraph;
let hive: GatewayRuntime;
let hiveServer: Server;
let hiveUrl: string;

function services() {
  return [
    { name: 'agentmc', typeDefs: parse(subgraphSdl), url: agentmcSubgraph.gateway.url.href },
    { name: 'users', typeDefs: usersTypeDefs, url: users.url.href },
  ];
}

beforeAll(async () => {
  users = await startUsersSubgraph();
  const composed = composeWithTheGuild(services());
  if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join('\n'));
  // Header propagation exactly as the README tells Hive Gateway users to configure it.
  hive = createGatewayRuntime({
    supergraph: composed.supergraphSdl,
    logging: false,
    propagateHeaders: {
      fromClientToSubgraphs: ({ request, subgraphName }) =>
        subgraphName === 'agentmc'
          ? {
              'x-api-key': request.headers.get('x-api-key') ?? undefined,
              authorization: request.headers.get('authorization') ?? undefined,
            }
          : undefined,
    },
  });
  hiveServer = createServer(hive);
  await new Promise<void>((resolve) => hiveServer.listen(0, '127.0.0.1', resolve));
  hiveUrl = `http://127.0.0.1:${(hiveServer.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => {
    hiveServer?.close(() => resolve());
    hiveServer?.closeAllConnections();
  });
  await hive?.dispose();
  await users?.close();
});
beforeEach(() => {
  users.references.length = 0;
});

async function throughHive(query: string, headers: Record<string, string> = { 'x-api-key': KEY }) {
  const response = await fetch(hiveUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      data?: Record<string, unknown> | null;
      errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
    },
  };
}

describe('composition', () => {
  it('the committed subgraph SDL is what the running subgraph serves as _service { sdl }', async () => {
    const response = await agentmcSubgraph.gateway.query('{ _service { sdl } }');
    const served = (response.body.data?._service as { sdl: string }).sdl;

    expect(served.trim()).toBe(subgraphSdl.trim());
  });

  it('composes with a users subgraph under The Guild composition, without errors', () => {
    const result = composeWithTheGuild(services());

    expect(result.errors).toBeUndefined();
    expect(result.supergraphSdl).toContain('join__graph(name: "agentmc"');
  });

  it('composes under Apollo composition without errors or hints', () => {
    const result = composeWithApollo(services());

    expect(result.errors).toBeUndefined();
    expect((result.hints ?? []).map((hint) => `${hint.definition.code}: ${hint.message}`)).toEqual([]);
  });
});

describe('through Hive Gateway', () => {
  it("joins the user's name from the users subgraph, and the client's key reaches AgentMC", async () => {
    const { status, body } = await throughHive(SUPERGRAPH_QUERY);

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      agent: {
        id: '77',
        requestedSessions: [
          { id: '501', status: 'REQUESTED', requestedBy: { id: '9001', name: 'Ada Lovelace' } },
          { id: '502', status: 'EXPIRED', requestedBy: null },
        ],
      },
    });
    const upstreamRequests = agentmcSubgraph.upstream.requests;
    expect(upstreamRequests.map((request) => request.path).sort()).toEqual([
      INSTRUCTIONS_PATH,
      SESSIONS_PATH,
    ]);
    expect(upstreamRequests.every((request) => request.headers['x-api-key'] === KEY)).toBe(true);
    expect(upstreamRequests.find((request) => request.path === SESSIONS_PATH)?.query.get('limit')).toBe('3');
    expect(users.references).toEqual(['9001']);
  });

  it('an Authorization: Bearer key reaches AgentMC too', async () => {
    const { body } = await throughHive(SUPERGRAPH_QUERY, { authorization: `Bearer ${KEY}-bearer` });

    expect(body.errors).toBeUndefined();
    expect(agentmcSubgraph.upstream.requests.map((request) => request.headers['x-api-key'])).toEqual([
      `${KEY}-bearer`,
      `${KEY}-bearer`,
    ]);
  });

  it('an upstream 401 reaches the client with its extensions.code intact', async () => {
    agentmcSubgraph.upstream.respondWith(
      agentmc(envelope(401, { code: 'unauthenticated', message: 'Invalid API key.' })),
    );

    const { body } = await throughHive(
      '{ agent { requestedSessions(limit: 3) { id requestedBy { name } } } }',
    );

    expect(body.data).toEqual({ agent: null });
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      upstream: { status: 401, code: 'unauthenticated', message: 'Invalid API key.' },
    });
    expect(body.errors?.[0]?.path).toEqual(['agent', 'requestedSessions']);
  });

  it('no key through the gateway is UNAUTHENTICATED, and AgentMC is never called', async () => {
    const { body } = await throughHive(SUPERGRAPH_QUERY, {});

    expect(body.data).toEqual({ agent: null });
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(agentmcSubgraph.upstream.requests).toHaveLength(0);
  });
});

/*
 * Agent references by id (issue 16): a neighbouring subgraph names agents by id, and the AgentMC
 * subgraph resolves them for the request's key, on either API generation. Proven on the AgentMC
 * gateway's own `_entities` and through Hive Gateway, with a fleet subgraph that references agents.
 */
const fleetTypeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  type Agent @key(fields: "id", resolvable: false) {
    id: ID!
  }

  type Machine @key(fields: "id") {
    id: ID!
    name: String!
    agent: Agent
  }

  type Query {
    machines: [Machine!]!
  }
`);

/** A fleet subgraph: machines, each running one agent, named by id only. */
async function startFleetSubgraph(machines: { id: string; name: string; agentId: string }[]) {
  const schema = buildSubgraphSchema({
    typeDefs: fleetTypeDefs,
    resolvers: {
      Query: {
        machines: () => machines.map(({ id, name, agentId }) => ({ id, name, agent: { id: agentId } })),
      },
    },
  });
  const server = createServer(createYoga({ schema, logging: false }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Hive Gateway over the AgentMC subgraph at `agentmcUrl` and `fleetUrl`, forwarding the key. */
async function startFleetRouter(agentmcUrl: URL, fleetUrl: URL) {
  const composed = composeWithTheGuild([
    { name: 'agentmc', typeDefs: parse(subgraphSdl), url: agentmcUrl.href },
    { name: 'fleet', typeDefs: fleetTypeDefs, url: fleetUrl.href },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join('\n'));
  const runtime = createGatewayRuntime({
    supergraph: composed.supergraphSdl,
    logging: false,
    propagateHeaders: {
      fromClientToSubgraphs: ({ request, subgraphName }) =>
        subgraphName === 'agentmc'
          ? { 'x-api-key': request.headers.get('x-api-key') ?? undefined }
          : undefined,
    },
  });
  const server = createServer(runtime);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    async query(query: string, apiKey: string) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-api-key': apiKey },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as {
        data?: Record<string, unknown> | null;
        errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
      };
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await runtime.dispose();
    },
  };
}

const MACHINES_QUERY = '{ machines { name agent { id requestedSessions(limit: 2) { id } } } }';
const AGENT_REFERENCES = /* GraphQL */ `
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

describe('Agent references by id, with a host key (hosts generation)', () => {
  const HOST_KEY = 'cc_federated_host_key';
  const HOSTS_SESSIONS = `${API_PREFIX}${HOSTS_PATHS.listAgentRealtimeRequestedSessions}`;
  const hostsSubgraph = useGateway({ AGENTMC_API_GENERATION: 'hosts' });
  let fleet: Awaited<ReturnType<typeof startFleetSubgraph>>;
  let router: Awaited<ReturnType<typeof startFleetRouter>>;

  /** Agent 7 is on the key's host, with one session; any other agent is refused with 403. */
  const hostServer: Responder = (response, request) => {
    if (request.path !== HOSTS_SESSIONS) return json(404, routeMissBody(request.path))(response, request);
    const agent = request.headers[AGENT_ID_HEADER];
    if (agent === '7') {
      return json(200, requestedSessionsBody([wireSession({ id: 701, agent_id: 7 })]))(response, request);
    }
    envelope(403, { code: 'forbidden', message: `Agent ${String(agent)} is not on this host.` })(
      response,
      request,
    );
  };
  const referenceChecks = (agent: string) =>
    hostsSubgraph.upstream.requests.filter(
      (request) =>
        request.path === HOSTS_SESSIONS &&
        request.query.get('limit') === '1' &&
        request.headers[AGENT_ID_HEADER] === agent,
    );

  beforeAll(async () => {
    fleet = await startFleetSubgraph([
      { id: 'm1', name: 'build-box', agentId: '7' },
      { id: 'm2', name: 'someone-elses-box', agentId: '8' },
    ]);
    router = await startFleetRouter(hostsSubgraph.gateway.url, fleet.url);
  });
  afterAll(async () => {
    await router?.close();
    await fleet?.close();
  });
  beforeEach(() => {
    hostsSubgraph.upstream.respondWith(hostServer);
  });

  it('the AgentMC gateway resolves an allowed agent by asking AgentMC as that agent; a 403 is FORBIDDEN', async () => {
    const response = await hostsSubgraph.gateway.query(AGENT_REFERENCES, {
      variables: {
        representations: [
          { __typename: 'Agent', id: '7' },
          { __typename: 'Agent', id: '8' },
        ],
      },
      headers: { 'x-api-key': HOST_KEY },
    });

    expect(response.body.data).toEqual({
      _entities: [{ id: '7', requestedSessions: [{ id: '701' }] }, null],
    });
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors?.[0]?.path).toEqual(['_entities', 1]);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      upstream: { status: 403 },
    });
    expect(referenceChecks('7')).toHaveLength(1);
    expect(referenceChecks('8')).toHaveLength(1);
    expect(
      hostsSubgraph.upstream.requests.every(
        (request) => request.path === HOSTS_SESSIONS && request.headers['x-api-key'] === HOST_KEY,
      ),
    ).toBe(true);
    // Agent 8's sessions were never asked for.
    expect(
      hostsSubgraph.upstream.requests.filter(
        (request) => request.headers[AGENT_ID_HEADER] === '8' && request.query.get('limit') !== '1',
      ),
    ).toHaveLength(0);
  });

  it('through Hive Gateway: the allowed agent is resolved with its sessions, the other is FORBIDDEN', async () => {
    const body = await router.query(MACHINES_QUERY, HOST_KEY);

    expect(body.data).toEqual({
      machines: [
        { name: 'build-box', agent: { id: '7', requestedSessions: [{ id: '701' }] } },
        { name: 'someone-elses-box', agent: null },
      ],
    });
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(referenceChecks('7')).toHaveLength(1);
    expect(referenceChecks('8')).toHaveLength(1);
    const sessionsOf7 = hostsSubgraph.upstream.requests.filter(
      (request) => request.headers[AGENT_ID_HEADER] === '7' && request.query.get('limit') === '2',
    );
    expect(sessionsOf7).toHaveLength(1);
    expect(
      hostsSubgraph.upstream.requests.every((request) => request.headers['x-api-key'] === HOST_KEY),
    ).toBe(true);
  });
});

describe('Agent references by id, with an agent key (agents generation)', () => {
  const AGENT_KEY = 'mca_federated_agent_77';
  let fleet: Awaited<ReturnType<typeof startFleetSubgraph>>;
  let router: Awaited<ReturnType<typeof startFleetRouter>>;

  beforeAll(async () => {
    fleet = await startFleetSubgraph([
      { id: 'm1', name: 'own-box', agentId: '77' },
      { id: 'm2', name: 'other-box', agentId: '78' },
    ]);
    router = await startFleetRouter(agentmcSubgraph.gateway.url, fleet.url);
  });
  afterAll(async () => {
    await router?.close();
    await fleet?.close();
  });

  it('through Hive Gateway: the key’s own agent is resolved, any other is FORBIDDEN, never with X-Agent-Id', async () => {
    const body = await router.query(MACHINES_QUERY, AGENT_KEY);

    expect(body.data).toEqual({
      machines: [
        { name: 'own-box', agent: { id: '77', requestedSessions: [{ id: '501' }, { id: '502' }] } },
        { name: 'other-box', agent: null },
      ],
    });
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(agentmcSubgraph.upstream.requests.map((request) => request.path).sort()).toEqual([
      INSTRUCTIONS_PATH,
      SESSIONS_PATH,
    ]);
    expect(
      agentmcSubgraph.upstream.requests.every((request) => request.headers[AGENT_ID_HEADER] === undefined),
    ).toBe(true);
  });
});
