/*
 * Scripted answers for the session lifecycle (claim, signals, close, socket auth) in both API
 * generations, and what the gateway sent: each request's body, read to its end before the script
 * answers (so a reset or a hang happens after the whole request arrived, the "may have been
 * applied" case).
 */
import {
  AGENTS_PATHS,
  API_PREFIX,
  HOSTS_PATHS,
  OPENAPI_DOCUMENT_PATH,
  sessionPath,
  wireError,
  wireInstructions,
} from '../../src/agentmc-wire.js';
import { json, type FakeUpstream, type RecordedRequest, type Responder } from './fake-upstream.js';

export type Generation = 'agents' | 'hosts';

/** The lifecycle operations of both generations (the host socket auth is the hosts generation's only). */
export type SessionOperation =
  | 'claimAgentRealtimeSession'
  | 'listAgentRealtimeSignals'
  | 'createAgentRealtimeSignal'
  | 'closeAgentRealtimeSession'
  | 'authenticateAgentRealtimeSocket';

/** Where a session operation arrives at AgentMC (below `/api/v1`), for session `sessionId`. */
export function wirePath(
  generation: Generation,
  operation: SessionOperation,
  sessionId: string | number,
): string {
  const paths = generation === 'hosts' ? HOSTS_PATHS : AGENTS_PATHS;
  return `${API_PREFIX}${sessionPath(paths[operation], sessionId)}`;
}

export const HOST_SOCKET_AUTH_PATH = `${API_PREFIX}${HOSTS_PATHS.authenticateHostRealtimeSocket}`;
export const INSTRUCTIONS_WIRE_PATH = `${API_PREFIX}${AGENTS_PATHS.getAgentInstructions}`;

const bodies = new WeakMap<RecordedRequest, string>();

/** Reads each request's body to its end, then lets `responder` answer; `bodyOf` gives it back. */
export function readingBodies(responder: Responder): Responder {
  return (response, request) => {
    const incoming = response.req;
    const chunks: Buffer[] = [];
    let answered = false;
    const answer = () => {
      if (answered) return;
      answered = true;
      bodies.set(request, Buffer.concat(chunks).toString('utf8'));
      responder(response, request);
    };
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.once('end', answer);
    incoming.once('error', () => undefined);
  };
}

/** The body a request carried, parsed as JSON; undefined when it had none. */
export function bodyOf(request: RecordedRequest | undefined): unknown {
  if (request === undefined) throw new Error('no such request');
  const text = bodies.get(request);
  if (text === undefined) throw new Error(`the body of ${request.method} ${request.path} was not read`);
  return text === '' ? undefined : JSON.parse(text);
}

/** The raw text of a request's body ('' when none). */
export function bodyTextOf(request: RecordedRequest | undefined): string {
  if (request === undefined) throw new Error('no such request');
  return bodies.get(request) ?? '';
}

const notFound = wireError('notFound');

/** Answers by `"METHOD /api/v1/path"`; any other request is the API's 404 envelope. */
export function byRoute(table: Record<string, Responder>): Responder {
  return (response, request) =>
    (table[`${request.method} ${request.path}`] ?? json(notFound.status, notFound.body))(response, request);
}

/** `GET /agents/instructions` as agent `agentId` (the agents generation's "who is this key"). */
export function instructionsRoute(agentId = 77): Record<string, Responder> {
  return { [`GET ${INSTRUCTIONS_WIRE_PATH}`]: json(200, wireInstructions(agentId)) };
}

/** Scripts the upstream's answer to every following request, recording bodies. */
export function script(upstream: FakeUpstream, responder: Responder): void {
  upstream.respondWith(readingBodies(responder));
}

/** The requests to the API itself (not the OpenAPI document a generation check may read). */
export function apiRequests(upstream: FakeUpstream): RecordedRequest[] {
  return upstream.requests.filter((request) => request.path !== OPENAPI_DOCUMENT_PATH);
}

export function postsTo(upstream: FakeUpstream, path?: string): RecordedRequest[] {
  return apiRequests(upstream).filter(
    (request) => request.method === 'POST' && (path === undefined || request.path === path),
  );
}

export function getsTo(upstream: FakeUpstream, path?: string): RecordedRequest[] {
  return apiRequests(upstream).filter(
    (request) => request.method === 'GET' && (path === undefined || request.path === path),
  );
}

/** Waits until `condition` holds, polling every 5 ms, for at most `ms`. */
export async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
