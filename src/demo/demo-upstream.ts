import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  API_PREFIX,
  limitOutOfRange,
  requestedSessionsBody,
  requestedSessionsLimit,
  wireError,
  WIRE_PATHS,
} from '../agentmc-wire.js';
import { demoInstructions, sampleSessions } from './sample-sessions.js';

export interface DemoUpstream {
  /** Base URL to use as AGENTMC_API_URL, ending in /api/v1. */
  url: URL;
  close(): Promise<void>;
}

const ROUTES: readonly string[] = Object.values(WIRE_PATHS);

/**
 * A stand-in for the AgentMC API so `npm start` works with no configuration. It accepts any
 * well-formed key and answers like the real endpoint, error envelope included.
 */
export async function startDemoUpstream(): Promise<DemoUpstream> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://demo.invalid');
    const send = ({ status, body }: { status: number; body: unknown }) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'GET' || !ROUTES.includes(url.pathname)) return send(wireError('notFound'));
    if (!request.headers['x-api-key']) return send(wireError('unauthenticated', 'Missing API key.'));
    if (url.pathname === WIRE_PATHS.getAgentInstructions)
      return send({ status: 200, body: demoInstructions() });
    const limit = requestedSessionsLimit(url.searchParams.get('limit'));
    if (limit === null) return send(limitOutOfRange());
    send({ status: 200, body: requestedSessionsBody(sampleSessions().slice(0, limit)) });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}${API_PREFIX}`),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
