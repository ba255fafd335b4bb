import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices as composeWithApollo } from '@apollo/composition';
import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { composeServices as composeWithTheGuild } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { agentmc, envelope, INSTRUCTIONS_PATH, SESSIONS_PATH } from './support/fake-upstream.js';
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
