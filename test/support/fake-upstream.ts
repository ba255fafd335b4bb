import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { API_PREFIX, wireError, WIRE_PATHS } from '../../src/agentmc-wire.js';
import { instructionsPayload, sessionsPayload } from './sessions.js';

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. /api/v1/agents/realtime/sessions/requested. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** `performance.now()` when it arrived. */
  receivedAt: number;
  /** Resolves when the exchange ends: true when the gateway hung up before the answer was complete. */
  abandoned: Promise<boolean>;
}

/** Writes one scripted answer; `request` is what the gateway sent. */
export type Responder = (response: ServerResponse, request: RecordedRequest) => void;

export interface FakeUpstream {
  /** What to use as AGENTMC_API_URL; ends in /api/v1 like the real one. */
  baseUrl: URL;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Scripts the answer to every following request. */
  respondWith(responder: Responder): void;
  close(): Promise<void>;
}

export const SESSIONS_PATH = WIRE_PATHS.listAgentRealtimeRequestedSessions;
export const INSTRUCTIONS_PATH = WIRE_PATHS.getAgentInstructions;

/** A real AgentMC stand-in on 127.0.0.1: node:http, port 0, answers scripted per test. */
export async function startFakeUpstream(): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let responder: Responder = agentmc();

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://upstream.test');
    const recorded: RecordedRequest = {
      method: request.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      receivedAt: performance.now(),
      abandoned: new Promise((resolve) => response.once('close', () => resolve(!response.writableFinished))),
    };
    requests.push(recorded);
    responder(response, recorded);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: new URL(`http://127.0.0.1:${port}${API_PREFIX}`),
    requests,
    respondWith: (next) => {
      responder = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A JSON answer with the given status and extra headers. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Responder {
  return raw(status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
}

/** Any body with any headers: HTML from a proxy, an empty body, a wrong content type. */
export function raw(status: number, body: string, headers: Record<string, string> = {}): Responder {
  return (response) => {
    response.writeHead(status, headers);
    response.end(body);
  };
}

/** The documented error envelope. */
export function envelope(
  status: number,
  error: { code: string; message: string; details?: Record<string, unknown> | null },
  headers: Record<string, string> = {},
): Responder {
  return json(status, { error }, headers);
}

/** Accepts the request and never answers. */
export const hang: Responder = () => undefined;

/** Drops the connection without a response. */
export const reset: Responder = (response) => {
  response.socket?.destroy();
};

const notFound = wireError('notFound');

/** Answers by path; any other path is the API's 404 envelope. */
export function routes(byPath: Record<string, Responder>): Responder {
  return (response, request) =>
    (byPath[request.path] ?? json(notFound.status, notFound.body))(response, request);
}

/** The two endpoints the gateway uses, answering as agent `agentId` with the given sessions. */
export function agentmc(sessions: Responder = json(200, sessionsPayload()), agentId = 77): Responder {
  return routes({
    [SESSIONS_PATH]: sessions,
    [INSTRUCTIONS_PATH]: json(200, instructionsPayload(agentId)),
  });
}

/** The n-th request gets the n-th responder; the last one answers every request after that. */
export function sequence(...responders: Responder[]): Responder {
  let next = 0;
  return (response, request) => {
    const responder = responders[Math.min(next, responders.length - 1)];
    next += 1;
    responder?.(response, request);
  };
}

/** Answers after `ms`, unless the gateway hung up first. */
export function delayed(ms: number, responder: Responder): Responder {
  return (response, request) => {
    const timer = setTimeout(() => responder(response, request), ms);
    response.once('close', () => clearTimeout(timer));
  };
}

/** A base URL where nothing listens: a port that was free a moment ago, so connecting is refused. */
export async function refusingUpstreamUrl(): Promise<URL> {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  return new URL(`http://127.0.0.1:${port}${API_PREFIX}`);
}
