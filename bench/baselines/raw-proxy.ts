/*
 * Floor "raw-proxy": the least a server can do to give the benchmark query's answer, with no
 * GraphQL at all. Plain node:http reads the POST and its JSON body, makes the one upstream call
 * through undici with the caller's key, parses the answer, maps it (shared.ts, as the baselines
 * do) and writes `{ data: { agent: { requestedSessions } } }`. No schema, parse, validation,
 * guard, metric or log: what any GraphQL gateway adds is measured against this.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { AGENTS_PATHS, type WireSession } from '../../src/agentmc-wire.js';
import { announce, settings, toGraphQLSession } from './shared.js';

const { upstream, port, host } = settings();
const sessionsPath = `${upstream.pathname}${AGENTS_PATHS.listAgentRealtimeRequestedSessions.slice(1)}`;
// Same connection budget as our gateway's default (UPSTREAM_CONNECTIONS=256).
const pool = new Pool(upstream.origin, { connections: 256 });

/** shared.ts's mapping, with the ids as strings, as GraphQL's `ID` serialises them. */
function toAnswerSession(session: WireSession) {
  const mapped = toGraphQLSession(session);
  const id = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return {
    ...mapped,
    id: id(mapped.id),
    teamId: id(mapped.teamId),
    agentId: id(mapped.agentId),
    requestedByUserId: id(mapped.requestedByUserId),
  };
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    void (async () => {
      const posted = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        variables?: { limit?: number };
      };
      const { statusCode, body } = await pool.request({
        method: 'GET',
        path: `${sessionsPath}?limit=${posted.variables?.limit ?? 20}`,
        headers: { 'x-api-key': String(request.headers['x-api-key'] ?? ''), accept: 'application/json' },
      });
      const payload = JSON.parse(await body.text()) as { data: WireSession[] };
      const answer =
        statusCode === 200
          ? { data: { agent: { requestedSessions: payload.data.map(toAnswerSession) } } }
          : { errors: [{ message: `AgentMC answered ${statusCode}` }] };
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(answer));
    })().catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify({ errors: [{ message: String(error) }] }));
    });
  });
});

server.listen(port, host, () => {
  const address = server.address() as AddressInfo;
  announce(`http://${address.address}:${address.port}/graphql`);
});

process.once('SIGTERM', () => {
  server.close(() => void pool.close().then(() => process.exit(0)));
  server.closeAllConnections();
});
