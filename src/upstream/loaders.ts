import DataLoader from 'dataloader';
import { REQUESTED_SESSIONS_LIMIT } from '../agentmc-wire.js';
import type { CallerSource } from '../caller.js';
import type { ApiGeneration } from './api-generation.js';
import type { AgentMcClient } from './client.js';
import type { AgentIdentity, RealtimeSession, RealtimeSignalList } from './models.js';
import { ROUTES, type RequestedSessionsScope, type SignalsParams } from './routes.js';

/** The loaders of one GraphQL request, bound to its caller; never shared between requests. */
export interface Loaders {
  /**
   * Requested sessions by agent (or host) and `limit`: identical fields (aliases, fragments)
   * share one call.
   */
  readonly requestedSessions: DataLoader<RequestedSessionsScope, RealtimeSession[], string>;
  /**
   * Requested sessions by id, for federation's `_entities`: every id asked for in one request
   * is answered from one list call at the largest limit (the whole host's with a host key, the
   * agent's with an agent key). An id not in that list resolves to null.
   */
  readonly sessionById: DataLoader<string, RealtimeSession | null>;
  /**
   * A page of a session's signals, by its arguments and agent: identical fields share one call.
   * Also how one session is read (`limit: 1`).
   */
  readonly signals: DataLoader<SignalsQuery, RealtimeSignalList, string>;
  /** The agent an agent key authenticates, fetched on first use and at most once per request. */
  agentIdentity(): Promise<AgentIdentity>;
  /** The API generation this request's calls go to, decided once per request. */
  generation(): Promise<ApiGeneration>;
}

/** A signals page and the agent it is read as (`X-Agent-Id` on the hosts generation). */
export interface SignalsQuery extends SignalsParams {
  readonly agentId: string | undefined;
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));
const scopeKey = ({ agentId, limit }: RequestedSessionsScope) =>
  agentId === undefined ? String(limit) : `${agentId}:${limit}`;
const signalsKey = ({ agentId, sessionId, afterId, limit, excludeSender }: SignalsQuery) =>
  `${agentId ?? ''}:${sessionId}:${afterId ?? ''}:${limit}:${excludeSender ?? ''}`;

/** Statuses that say a session is not there for this key: its entity resolves to null. */
const ABSENT = new Set(['NOT_FOUND']);

/**
 * Built per request, each loader on first use: requests that never reach the upstream (a
 * missing key, an invalid document, `_service`) pay for none of them.
 *
 * A class, not an object literal with getters: V8 gives every such literal its own hidden class,
 * kept in old space, and through it the getters' closures and the whole request they capture
 * outlive every young-generation collection (measured: ~0.5 MB promoted per scavenge, gone).
 */
class RequestLoaders implements Loaders {
  readonly #client: AgentMcClient;
  readonly #credential: CallerSource;
  #requestedSessions: DataLoader<RequestedSessionsScope, RealtimeSession[], string> | undefined;
  #sessionById: DataLoader<string, RealtimeSession | null> | undefined;
  #signals: DataLoader<SignalsQuery, RealtimeSignalList, string> | undefined;
  #identity: Promise<AgentIdentity> | undefined;
  #generation: Promise<ApiGeneration> | undefined;

  constructor(client: AgentMcClient, credential: CallerSource) {
    this.#client = client;
    this.#credential = credential;
  }

  get requestedSessions(): DataLoader<RequestedSessionsScope, RealtimeSession[], string> {
    return (this.#requestedSessions ??= new DataLoader(
      (scopes) =>
        // One upstream call per distinct scope; a failure fills only its own slot.
        Promise.all(
          scopes.map(async (scope) => {
            try {
              return await this.#client.call(
                this.#credential.caller(),
                ROUTES.listAgentRealtimeRequestedSessions,
                scope,
                scope.agentId,
              );
            } catch (error) {
              return asError(error);
            }
          }),
        ),
      { cacheKeyFn: scopeKey },
    ));
  }

  get sessionById(): DataLoader<string, RealtimeSession | null> {
    return (this.#sessionById ??= new DataLoader(async (ids) => {
      let listed: Map<string, RealtimeSession>;
      try {
        const sessions = await this.requestedSessions.load({
          agentId: undefined,
          limit: REQUESTED_SESSIONS_LIMIT.max,
        });
        listed = new Map(sessions.map((session) => [String(session.id), session]));
      } catch (error) {
        return ids.map(() => asError(error));
      }
      // Not among the listed: the session the signals list (`limit=1`) returns, if the key may see it.
      return Promise.all(ids.map((id) => listed.get(id) ?? this.#sessionThroughSignals(id)));
    }));
  }

  get signals(): DataLoader<SignalsQuery, RealtimeSignalList, string> {
    return (this.#signals ??= new DataLoader(
      (queries) =>
        Promise.all(
          queries.map(async (query) => {
            try {
              return await this.#client.call(
                this.#credential.caller(),
                ROUTES.listAgentRealtimeSignals,
                query,
                query.agentId,
              );
            } catch (error) {
              return asError(error);
            }
          }),
        ),
      { cacheKeyFn: signalsKey },
    ));
  }

  async #sessionThroughSignals(id: string): Promise<RealtimeSession | null | Error> {
    if (!/^[1-9]\d{0,18}$/.test(id)) return null;
    try {
      const query = {
        sessionId: id,
        afterId: undefined,
        limit: 1,
        excludeSender: undefined,
        agentId: undefined,
      };
      return (await this.signals.load(query)).session;
    } catch (error) {
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      return typeof code === 'string' && ABSENT.has(code) ? null : asError(error);
    }
  }

  agentIdentity(): Promise<AgentIdentity> {
    return (this.#identity ??= Promise.resolve().then(() =>
      this.#client.call(this.#credential.caller(), ROUTES.getAgentInstructions, undefined),
    ));
  }

  generation(): Promise<ApiGeneration> {
    return (this.#generation ??= Promise.resolve().then(() =>
      this.#client.generationFor(this.#credential.caller()),
    ));
  }
}

export function createLoaders(client: AgentMcClient, credential: CallerSource): Loaders {
  return new RequestLoaders(client, credential);
}
