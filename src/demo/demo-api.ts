import { createHash } from 'node:crypto';
import {
  AGENTS_PATHS,
  HOSTS_PATHS,
  limitOutOfRange,
  OPENAPI_DOCUMENT_PATH,
  openApiOperationsDocument,
  requestedSessionsBody,
  requestedSessionsLimit,
  routeMissBody,
  WIRE_PATHS,
  wireError,
  type WireInstructions,
  type WireSession,
} from '../agentmc-wire.js';
import { answerHosts, hostsCaller, type HostsApi, type WireAnswer, type WireRequest } from './hosts-api.js';
import { answerLifecycle, lifecycleRoute, type Generation, type LifecycleOptions } from './lifecycle-api.js';
import { SessionStore, type SeedSignal } from './session-store.js';
import { DEMO_SOCKET_APP } from './socket-auth.js';

/*
 * One stand-in AgentMC server with state, in either generation: the requested lists (read from
 * the state, so a claim shows), the instructions, the session lifecycle and the published
 * document listing every path it serves. Shared by the demo upstream and the test fake.
 */

export interface DemoApiOptions {
  generation: Generation;
  /** Every session the server knows, in list order, before any change; fresh per call. */
  sessions: (now: number) => readonly WireSession[];
  /** Hosts generation: the host's agents (each one's list holds its `requested` sessions). */
  hostAgentIds?: readonly number[];
  /** Agents generation: the agent every key is. */
  agentId?: number;
  /** `GET /agents/instructions` for an agent. */
  instructions: (agentId: number) => WireInstructions;
  /** Signals the sessions already have. */
  seed?: readonly SeedSignal[];
  /** The app the socket auth signs for. @default DEMO_SOCKET_APP */
  socketApp?: { key: string; secret: string };
  /** How long after an agent's first signal the simulated browser answers; null: never. @default 300 */
  browserAnswerMs?: number | null;
  /** Publish `/api/openapi.json`; false: a route miss there. @default true */
  document?: boolean;
  now?: () => number;
}

export interface DemoApi {
  /** Answers one request (its body already read into `request.body`). */
  answer(request: WireRequest): WireAnswer;
  readonly store: SessionStore;
  /** Cancels the simulated browser's pending answers. */
  close(): void;
}

const firstHeader = (value: string | readonly string[] | undefined) =>
  (typeof value === 'string' ? value : value?.[0])?.trim() ?? '';

/** A claim owner per agent key, without keeping the key. */
const keyOwner = (key: string) => `key:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;

export function createDemoApi(options: DemoApiOptions): DemoApi {
  const { generation, instructions, document = true } = options;
  const store = new SessionStore({ baseline: options.sessions, seed: options.seed, now: options.now });
  const lifecycle: LifecycleOptions = {
    generation,
    store,
    socketApp: options.socketApp ?? DEMO_SOCKET_APP,
    browserAnswerMs: options.browserAnswerMs === undefined ? 300 : options.browserAnswerMs,
  };
  const published = openApiOperationsDocument(generation === 'hosts' ? HOSTS_PATHS : AGENTS_PATHS);
  const hostAgents = new Set(options.hostAgentIds ?? []);
  const agentId = options.agentId ?? 1;

  function answerAgents(request: WireRequest): WireAnswer {
    const route = lifecycleRoute('agents', request);
    const known = route !== undefined || Object.values<string>(WIRE_PATHS).includes(request.path);
    if (!known || (route === undefined && request.method !== 'GET'))
      return { status: 404, body: routeMissBody(request.path) };
    if (route !== undefined && !('operationId' in route)) return route;
    const key = firstHeader(request.headers['x-api-key']);
    if (key === '') return wireError('unauthenticated', 'Missing API key.');
    if (route !== undefined)
      return answerLifecycle(lifecycle, { agentId, keyOwner: keyOwner(key) }, route, request);
    if (request.path === WIRE_PATHS.getAgentInstructions) return { status: 200, body: instructions(agentId) };
    const limit = requestedSessionsLimit(request.query.get('limit'));
    if (limit === null) return limitOutOfRange();
    const own = store.sessions().filter((session) => session.agent_id === agentId);
    return { status: 200, body: requestedSessionsBody(own.slice(0, limit)) };
  }

  function answerHostsGeneration(request: WireRequest): WireAnswer {
    const route = lifecycleRoute('hosts', request);
    if (route === undefined) {
      const sessions = store.sessions();
      const api: HostsApi = {
        agents: new Map(
          [...hostAgents].map((id) => [
            id,
            sessions.filter((session) => session.agent_id === id && session.status === 'requested'),
          ]),
        ),
        hostWide: sessions,
        instructions,
      };
      return answerHosts(api, request);
    }
    if (!('operationId' in route)) return route;
    const caller = hostsCaller(hostAgents, request);
    if (!caller.ok) return caller.answer;
    const actor = {
      agentId: route.operationId === 'authenticateHostRealtimeSocket' ? undefined : caller.agentId,
    };
    return answerLifecycle(lifecycle, actor, route, request);
  }

  return {
    store,
    answer(request) {
      if (request.path === OPENAPI_DOCUMENT_PATH && request.method === 'GET')
        return document
          ? { status: 200, body: published }
          : { status: 404, body: routeMissBody(request.path) };
      return generation === 'hosts' ? answerHostsGeneration(request) : answerAgents(request);
    },
    close: () => store.close(),
  };
}
