import DataLoader from 'dataloader';
import { requireApiKey, type Credential } from '../credentials.js';
import { REQUESTED_SESSIONS_LIMIT, type AgentMcClient } from './client.js';
import type { AgentIdentity, RealtimeSession } from './payloads.js';

/** The loaders of one GraphQL request, bound to its credential; never shared between requests. */
export interface Loaders {
  /** Requested sessions by `limit`: identical fields (aliases, fragments) share one call. */
  requestedSessions: DataLoader<number, RealtimeSession[]>;
  /**
   * Requested sessions by id, for federation's `_entities`: every id asked for in one request
   * is answered from one list call at the largest limit. An id that is not among the agent's
   * requested sessions resolves to null: the API has no endpoint to fetch one session by id.
   */
  sessionById: DataLoader<string, RealtimeSession | null>;
  /** The authenticated agent, fetched on first use and at most once per request. */
  agentIdentity(): Promise<AgentIdentity>;
}

export function createLoaders(
  client: AgentMcClient,
  credential: Credential,
  signal: AbortSignal | undefined,
): Loaders {
  const requestedSessions = new DataLoader<number, RealtimeSession[]>((limits) =>
    // One upstream call per distinct limit; a failure fills only its own slot.
    Promise.all(
      limits.map(async (limit) => {
        try {
          return await client.listRequestedSessions(requireApiKey(credential), limit, signal);
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      }),
    ),
  );

  const sessionById = new DataLoader<string, RealtimeSession | null>(async (ids) => {
    try {
      const sessions = await requestedSessions.load(REQUESTED_SESSIONS_LIMIT.max);
      const byId = new Map(sessions.map((session) => [String(session.id), session]));
      return ids.map((id) => byId.get(id) ?? null);
    } catch (error) {
      return ids.map(() => (error instanceof Error ? error : new Error(String(error))));
    }
  });

  let identity: Promise<AgentIdentity> | undefined;
  const agentIdentity = () =>
    (identity ??= Promise.resolve().then(() => client.getAgentIdentity(requireApiKey(credential), signal)));

  return { requestedSessions, sessionById, agentIdentity };
}
