import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AGENTS_PATHS,
  API_PREFIX,
  limitOutOfRange,
  OPENAPI_DOCUMENT_PATH,
  openApiDocument,
  requestedSessionsBody,
  requestedSessionsLimit,
  routeMissBody,
  wireError,
  WIRE_PATHS,
} from '../agentmc-wire.js';
import type { ApiGenerationSetting } from '../settings.js';
import { answerHosts, HOSTS_DOCUMENT_PATHS, type WireAnswer, type WireRequest } from './hosts-api.js';
import { sampleHost } from './sample-host.js';
import { demoInstructions, sampleSessions } from './sample-sessions.js';

export { DEMO_HOST_AGENT_IDS } from './sample-host.js';

export interface DemoUpstream {
  /** Base URL to use as AGENTMC_API_URL, ending in /api/v1. */
  url: URL;
  /** The generation it speaks: `auto` gives the hosts generation, the current one. */
  generation: 'hosts' | 'agents';
  close(): Promise<void>;
}

const AGENTS_ROUTES: readonly string[] = Object.values(WIRE_PATHS);
const AGENTS_DOCUMENT = openApiDocument(Object.values(AGENTS_PATHS));

/**
 * The agents generation as the demo has always spoken it: any well-formed key is the demo agent,
 * 42. It also publishes its document, so a gateway in `auto` recognises it.
 */
function answerAgents({ method, path, query, headers }: WireRequest): WireAnswer {
  if (method === 'GET' && path === OPENAPI_DOCUMENT_PATH) return { status: 200, body: AGENTS_DOCUMENT };
  if (method !== 'GET' || !AGENTS_ROUTES.includes(path)) return { status: 404, body: routeMissBody(path) };
  if (!headers['x-api-key']) return wireError('unauthenticated', 'Missing API key.');
  if (path === WIRE_PATHS.getAgentInstructions) return { status: 200, body: demoInstructions() };
  const limit = requestedSessionsLimit(query.get('limit'));
  if (limit === null) return limitOutOfRange();
  return { status: 200, body: requestedSessionsBody(sampleSessions().slice(0, limit)) };
}

/** The hosts generation: one host, agents 42, 43 and 44, any `cc_` key as its host key. */
const answerDemoHost = (request: WireRequest): WireAnswer =>
  answerHosts({ ...sampleHost(), documentPaths: HOSTS_DOCUMENT_PATHS }, request);

/**
 * A stand-in for the AgentMC API so `npm start` works with no configuration, speaking the
 * configured generation (`auto`: hosts) and answering like the real endpoints, error envelope,
 * route misses and published OpenAPI document included.
 */
export async function startDemoUpstream(setting: ApiGenerationSetting = 'auto'): Promise<DemoUpstream> {
  const generation = setting === 'agents' ? 'agents' : 'hosts';
  const answer = generation === 'agents' ? answerAgents : answerDemoHost;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://demo.invalid');
    const { status, body } = answer({
      method: request.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
    });
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}${API_PREFIX}`),
    generation,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
