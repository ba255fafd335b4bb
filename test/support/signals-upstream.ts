/*
 * A scripted signals list for the `realtimeSignalAdded` tests: sessions whose signals the test
 * appends (ids increase across all sessions, as AgentMC's do), whose status it changes, and
 * whose next answers it can replace with a failure. Paging is AgentMC's: rows with an id above
 * `after_id` (all without it), in id order, at most `limit`, with the session.
 */
import {
  API_PREFIX,
  signalsBody,
  wireError,
  wireSession,
  wireSignal,
  type WireSignal,
} from '../../src/agentmc-wire.js';
import { json, type RecordedRequest, type Responder } from './fake-upstream.js';

const SIGNALS = new RegExp(`^${API_PREFIX}/(agents|hosts)/realtime/sessions/(\\d+)/signals$`);
const notFound = wireError('notFound');

interface ScriptedSession {
  status: string;
  signals: WireSignal[];
  /** Answers instead of the list while set. */
  failure: Responder | undefined;
}

export interface SignalsUpstream {
  /** Serves the scripted sessions; any other request goes to `fallback`. */
  responder(fallback: Responder): Responder;
  /** Creates the session (status `claimed`) if needed and appends `count` signals to it. */
  append(sessionId: number, count: number): number[];
  setStatus(sessionId: number, status: string): void;
  /** Every answer for the session is `failure` until cleared with undefined. */
  fail(sessionId: number, failure: Responder | undefined): void;
  /** The session's signal ids, in order. */
  ids(sessionId: number): number[];
}

export function signalsUpstream(): SignalsUpstream {
  const sessions = new Map<number, ScriptedSession>();
  let nextId = 1;
  const sessionOf = (sessionId: number): ScriptedSession => {
    let session = sessions.get(sessionId);
    if (session === undefined) {
      session = { status: 'claimed', signals: [], failure: undefined };
      sessions.set(sessionId, session);
    }
    return session;
  };
  return {
    responder: (fallback) => (response, request) => {
      const match = SIGNALS.exec(request.path);
      if (match === null || request.method !== 'GET') return fallback(response, request);
      const sessionId = Number(match[2]);
      const session = sessions.get(sessionId);
      if (session === undefined) return json(notFound.status, notFound.body)(response, request);
      if (session.failure !== undefined) return session.failure(response, request);
      const after = Number(request.query.get('after_id') ?? '0');
      const limit = Number(request.query.get('limit') ?? '50');
      const rows = session.signals.filter((signal) => signal.id > after).slice(0, limit);
      const wire = wireSession({ id: sessionId, team_id: 12, agent_id: 77, status: session.status });
      json(200, signalsBody(rows, wire))(response, request);
    },
    append: (sessionId, count) => {
      const session = sessionOf(sessionId);
      const added = Array.from({ length: count }, () => nextId++);
      for (const id of added) {
        session.signals.push(
          wireSignal({
            id,
            team_id: 12,
            agent_id: 77,
            session_id: sessionId,
            sender: id % 2 === 0 ? 'agent' : 'browser',
            type: 'message',
            payload: { n: id },
            created_at: '2026-02-22T17:21:00Z',
            updated_at: '2026-02-22T17:21:00Z',
          }),
        );
      }
      return added;
    },
    setStatus: (sessionId, status) => {
      sessionOf(sessionId).status = status;
    },
    fail: (sessionId, failure) => {
      sessionOf(sessionId).failure = failure;
    },
    ids: (sessionId) => sessionOf(sessionId).signals.map((signal) => signal.id),
  };
}

/** The requests for session `sessionId`'s signals, in order. */
export function signalPolls(requests: readonly RecordedRequest[], sessionId: number): RecordedRequest[] {
  return requests.filter((request) => {
    const match = SIGNALS.exec(request.path);
    return match !== null && Number(match[2]) === sessionId;
  });
}

/** A poll's `after_id` (0 when it had none). */
export const afterIdOf = (request: RecordedRequest): number => Number(request.query.get('after_id') ?? '0');

/** The subscription document (live-clients send no variables, so arguments are inlined). */
export function signalSubscription(args: { sessionId: string; afterId?: string; agentId?: string }): string {
  const list = Object.entries(args)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}: ${JSON.stringify(value)}`)
    .join(', ');
  return `subscription Signals { realtimeSignalAdded(${list}) { id sessionId sender type payload session { id status } } }`;
}

interface SignalData {
  id: string;
  sessionId: string;
  sender: string;
  type: string;
  payload: unknown;
  session: { id: string; status: string };
}

/** The signal of a stream event, if it carries one. */
export function signalOf(event: { data?: unknown } | undefined): SignalData | undefined {
  const data = event?.data as { realtimeSignalAdded?: SignalData | null } | null | undefined;
  return data?.realtimeSignalAdded ?? undefined;
}

/** The ids of the signals a stream received, in order (error events left out). */
export function receivedIds(events: readonly { data?: unknown }[]): number[] {
  return events.flatMap((event) => {
    const signal = signalOf(event);
    return signal === undefined ? [] : [Number(signal.id)];
  });
}

/** Waits until `condition` holds, failing with `what` instead of hanging. */
export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `from + 1 … to`. */
export const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from) }, (_, index) => from + 1 + index);
