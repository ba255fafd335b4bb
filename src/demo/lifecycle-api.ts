import {
  AGENTS_PATHS,
  API_PREFIX,
  ENDED_SESSION_STATUSES,
  HOSTS_PATHS,
  type OperationId,
  sessionBody,
  sessionConflict,
  signalBody as createdSignalBody,
  signalsBody,
  wireError,
  type WireSession,
} from '../agentmc-wire.js';
import type { WireAnswer, WireRequest } from './hosts-api.js';
import {
  claimBody,
  closeBody,
  jsonBody,
  signalBody,
  signalsQuery,
  socketAuthBody,
} from './lifecycle-bodies.js';
import type { SessionStore } from './session-store.js';
import { socketSignature } from './socket-auth.js';

/*
 * The session lifecycle as AgentMC answers it, in both generations: claim (`requested` →
 * `claimed`, idempotent per owner), signals (listed after an id, appended with increasing ids; the
 * first agent signal opens the session, `active`), close, and the Pusher-style socket auth. A
 * simulated browser answers the first agent signal of a session, so a subscriber sees one arrive.
 */

export type Generation = 'hosts' | 'agents';

/** Who is calling, already authenticated by the generation's rules. */
export interface LifecycleActor {
  /** The agent acted as; undefined: a host key naming no agent (any session of the host). */
  agentId: number | undefined;
  /**
   * The claim owner on the agents generation (one per key: the key is the agent runtime); the
   * hosts generation's owner is the `owner_token` of the claim body.
   */
  keyOwner?: string;
}

export interface LifecycleOptions {
  generation: Generation;
  store: SessionStore;
  /** The app the socket auth signs for. */
  socketApp: { key: string; secret: string };
  /** How long after an agent's first signal the simulated browser answers; null: it never does. */
  browserAnswerMs: number | null;
}

/** The browser's answer to an agent's first signal. */
export const BROWSER_ANSWER = {
  sender: 'browser',
  type: 'message',
  payload: { type: 'chat.user', payload: { text: 'Hello from the demo browser' } },
} as const;

type LifecycleOperation = Exclude<OperationId, 'listAgentRealtimeRequestedSessions' | 'getAgentInstructions'>;

interface Template {
  operationId: LifecycleOperation;
  method: string;
  pattern: RegExp;
}

const METHODS: Record<LifecycleOperation, string> = {
  claimAgentRealtimeSession: 'POST',
  listAgentRealtimeSignals: 'GET',
  createAgentRealtimeSignal: 'POST',
  closeAgentRealtimeSession: 'POST',
  authenticateAgentRealtimeSocket: 'POST',
  authenticateHostRealtimeSocket: 'POST',
};

function templates(paths: Readonly<Partial<Record<OperationId, string>>>): Template[] {
  return (Object.keys(METHODS) as LifecycleOperation[]).flatMap((operationId) => {
    const path = paths[operationId];
    if (path === undefined) return [];
    const source = `${API_PREFIX}${path}`
      .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      .replace('{session}', '([^/]+)');
    return [{ operationId, method: METHODS[operationId], pattern: new RegExp(`^${source}$`) }];
  });
}

const TEMPLATES: Record<Generation, Template[]> = {
  agents: templates(AGENTS_PATHS),
  hosts: templates(HOSTS_PATHS),
};

/** A lifecycle route a request names: its operation and the `{session}` it carries, if any. */
export interface LifecycleRoute {
  operationId: LifecycleOperation;
  session: string | undefined;
}

/**
 * The lifecycle route `request` is for; `undefined` when its path is none of them, and a 405
 * (the framework's, not the envelope) when the path is one but the method is not.
 */
export function lifecycleRoute(
  generation: Generation,
  request: WireRequest,
): LifecycleRoute | WireAnswer | undefined {
  let pathMatched = false;
  for (const { operationId, method, pattern } of TEMPLATES[generation]) {
    const match = pattern.exec(request.path);
    if (match === null) continue;
    pathMatched = true;
    if (method === request.method) return { operationId, session: match[1] };
  }
  if (!pathMatched) return undefined;
  return { status: 405, body: { message: `The ${request.method} method is not supported for this route.` } };
}

const ok = (body: unknown): WireAnswer => ({ status: 200, body });
const isEnded = (session: WireSession) =>
  (ENDED_SESSION_STATUSES as readonly string[]).includes(session.status);

/** Answers one lifecycle request of an authenticated `actor`. */
export function answerLifecycle(
  options: LifecycleOptions,
  actor: LifecycleActor,
  route: LifecycleRoute,
  request: WireRequest,
): WireAnswer {
  const { store } = options;
  const parsed = jsonBody(request.method === 'POST' ? request.body : undefined);
  if (!parsed.ok) return parsed.answer;
  const body = parsed.value;

  if (route.operationId === 'authenticateHostRealtimeSocket') {
    const auth = socketAuthBody(body);
    return auth.ok
      ? ok({ auth: socketSignature(auth.value.socketId, auth.value.channelName, options.socketApp) })
      : auth.answer;
  }

  // Route model binding first (404), as Laravel does; then the body (422); then the state (409).
  const id = /^[1-9][0-9]{0,15}$/.test(route.session ?? '') ? Number(route.session) : undefined;
  const found = id === undefined ? undefined : store.session(id);
  // A session of another agent (X-Agent-Id naming one, or the agent key's own) is not found.
  const session =
    found !== undefined && (actor.agentId === undefined || found.agent_id === actor.agentId)
      ? found
      : undefined;
  if (session === undefined) return wireError('notFound', 'Realtime session not found.');

  switch (route.operationId) {
    case 'listAgentRealtimeSignals': {
      const query = signalsQuery(request.query, options.generation === 'agents');
      if (!query.ok) return query.answer;
      const { afterId, limit, excludeSender } = query.value;
      return ok(signalsBody(store.after(session.id, afterId, limit, excludeSender), session));
    }
    case 'claimAgentRealtimeSession':
      return claim(options, actor, session, body);
    case 'createAgentRealtimeSignal': {
      const signal = signalBody(body);
      if (!signal.ok) return signal.answer;
      if (isEnded(session)) return sessionConflict('ended', session.id, session.status);
      if (session.status === 'requested') return sessionConflict('notClaimed', session.id, session.status);
      const created = store.append(session, { sender: 'agent', ...signal.value });
      const opens = session.status === 'claimed';
      const now = store.timestamp();
      const updated = store.update(session.id, {
        last_agent_heartbeat_at: now,
        ...(opens ? { status: 'active', opened_at: now } : {}),
      });
      if (opens && options.browserAnswerMs !== null)
        browserAnswers(store, session.id, options.browserAnswerMs);
      return ok(createdSignalBody(created, updated));
    }
    case 'closeAgentRealtimeSession': {
      const close = closeBody(body);
      if (!close.ok) return close.answer;
      if (isEnded(session)) return sessionConflict('ended', session.id, session.status);
      const { status, reason } = close.value;
      const { socket: _joinable, ...rest } = session;
      const meta = reason === undefined ? rest.meta : { ...rest.meta, close_reason: reason };
      return ok(sessionBody(store.replace({ ...rest, status, closed_at: store.timestamp(), meta })));
    }
    case 'authenticateAgentRealtimeSocket': {
      const auth = socketAuthBody(body);
      if (!auth.ok) return auth.answer;
      if (isEnded(session)) return sessionConflict('ended', session.id, session.status);
      return ok({ auth: socketSignature(auth.value.socketId, auth.value.channelName, options.socketApp) });
    }
  }
}

function claim(
  { generation, store }: LifecycleOptions,
  actor: LifecycleActor,
  session: WireSession,
  body: Record<string, unknown>,
): WireAnswer {
  let owner = actor.keyOwner ?? '';
  if (generation === 'hosts') {
    const token = claimBody(body);
    if (!token.ok) return token.answer;
    owner = token.value.ownerToken;
  }
  if (isEnded(session)) return sessionConflict('ended', session.id, session.status);
  if (session.status !== 'requested') {
    // The same owner again: the claim is already theirs. Anyone else: taken.
    return store.owner(session.id) === owner
      ? ok(sessionBody(session))
      : sessionConflict('claimed', session.id, session.status);
  }
  store.setOwner(session.id, owner);
  const meta = generation === 'hosts' ? { ...session.meta, claim_owner_token: owner } : session.meta;
  return ok(
    sessionBody(store.update(session.id, { status: 'claimed', claimed_at: store.timestamp(), meta })),
  );
}

function browserAnswers(store: SessionStore, sessionId: number, ms: number): void {
  store.later(ms, () => {
    const session = store.session(sessionId);
    if (session === undefined || isEnded(session)) return;
    store.append(session, { ...BROWSER_ANSWER, payload: structuredClone(BROWSER_ANSWER.payload) });
    store.update(sessionId, { last_browser_heartbeat_at: store.timestamp() });
  });
}
