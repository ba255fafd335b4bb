/*
 * Baseline "naive-yoga": the smallest thing a user could write with graphql-yoga and undici.
 * SDL via createSchema, one resolver that calls AgentMC with the caller's key and maps the
 * answer. No Pothos, no DataLoader, no validation of the upstream body, no request guards.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { JSONObjectResolver } from 'graphql-scalars';
import { createSchema, createYoga } from 'graphql-yoga';
import { Pool } from 'undici';
import { AGENTS_PATHS, type WireSession } from '../../src/agentmc-wire.js';
import { announce, settings, toGraphQLSession, typeDefs } from './shared.js';

const { upstream, port, host } = settings();
// Below the base URL's path, which ends in `/`.
const sessionsPath = `${upstream.pathname}${AGENTS_PATHS.listAgentRealtimeRequestedSessions.slice(1)}`;
// Same connection budget as our gateway's default (UPSTREAM_CONNECTIONS=256).
const pool = new Pool(upstream.origin, { connections: 256 });

const schema = createSchema<{ request: Request }>({
  typeDefs,
  resolvers: {
    JSONObject: JSONObjectResolver,
    Query: { agent: () => ({}) },
    Agent: {
      requestedSessions: async (_agent: unknown, args: { limit: number }, context: { request: Request }) => {
        const { statusCode, body } = await pool.request({
          method: 'GET',
          path: `${sessionsPath}?limit=${args.limit}`,
          headers: {
            'x-api-key': context.request.headers.get('x-api-key') ?? '',
            accept: 'application/json',
          },
        });
        const payload = JSON.parse(await body.text()) as { data: WireSession[] };
        if (statusCode !== 200) throw new GraphQLError(`AgentMC answered ${statusCode}`);
        return payload.data.map(toGraphQLSession);
      },
    },
  },
});

const yoga = createYoga({ schema, graphiql: false, logging: false });
const server = createServer(yoga);

server.listen(port, host, () => {
  const address = server.address() as AddressInfo;
  announce(`http://${address.address}:${address.port}${yoga.graphqlEndpoint}`);
});

process.once('SIGTERM', () => {
  server.close(() => void pool.close().then(() => process.exit(0)));
  server.closeAllConnections();
});
