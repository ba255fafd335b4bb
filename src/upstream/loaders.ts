import DataLoader from 'dataloader';
import { requireApiKey, type Credential } from '../credentials.js';
import { REQUESTED_SESSIONS_LIMIT, type AgentMcClient, type UpstreamCaller } from './client.js';
import type { AgentIdentity, RealtimeSession } from './payloads.js';

/** The loaders of one GraphQL request, bound to its credential; never shared between requests. */
export interface Loaders {
  /** Requested sessions by `limit`: identical fields (aliases, fragments) share one call. */
  readonly requestedSessions: DataLoader<number, RealtimeSession[]>;
  /**
   * Requested sessions by id, for federation's `_entities`: every id asked for in one request
   * is answered from one list call at the largest limit. An id that is not among the agent's
   * requested sessions resolves to null: the API has no endpoint to fetch one session by id.
   */
  readonly sessionById: DataLoader<string, RealtimeSession | null>;
  /** The authenticated agent, fetched on first use and at most once per request. */
  agentIdentity(): Promise<AgentIdentity>;
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/**
 * Built per request, each loader on first use: requests that never reach the upstream (a
 * missing key, an invalid document, `_service`) pay for none of them. The request's signal is
 * read only by a call that is still waiting after a grace period, for the same reason.
 */
export function createLoaders(
  client: AgentMcClient,
  credential: Credential,
  request: { signal: () => AbortSignal | undefined; id: string | undefined },
): Loaders {
  const caller = (): UpstreamCaller => ({
    apiKey: requireApiKey(credential),
    signal: request.signal,
    requestId: request.id,
  });
  let requestedSessions: DataLoader<number, RealtimeSession[]> | undefined;
  let sessionById: DataLoader<string, RealtimeSession | null> | undefined;
  let identity: Promise<AgentIdentity> | undefined;

  return {
    get requestedSessions() {
      return (requestedSessions ??= new DataLoader((limits) =>
        // One upstream call per distinct limit; a failure fills only its own slot.
        Promise.all(
          limits.map(async (limit) => {
            try {
              return await client.listRequestedSessions(caller(), limit);
            } catch (error) {
              return asError(error);
            }
          }),
        ),
      ));
    },
    get sessionById() {
      return (sessionById ??= new DataLoader(async (ids) => {
        try {
          const sessions = await this.requestedSessions.load(REQUESTED_SESSIONS_LIMIT.max);
          const byId = new Map(sessions.map((session) => [String(session.id), session]));
          return ids.map((id) => byId.get(id) ?? null);
        } catch (error) {
          return ids.map(() => asError(error));
        }
      }));
    },
    agentIdentity: () => (identity ??= Promise.resolve().then(() => client.getAgentIdentity(caller()))),
  };
}
