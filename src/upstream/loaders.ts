import DataLoader from 'dataloader';
import { requireApiKey, type Credential } from '../credentials.js';
import type { AgentMcClient } from './client.js';
import type { RealtimeSession } from './payloads.js';

/** The loaders of one GraphQL request, bound to its credential; never shared between requests. */
export interface Loaders {
  /** Requested sessions by `limit`: identical fields (aliases, fragments) share one call. */
  requestedSessions: DataLoader<number, RealtimeSession[]>;
}

export function createLoaders(
  client: AgentMcClient,
  credential: Credential,
  signal: AbortSignal | undefined,
): Loaders {
  return {
    requestedSessions: new DataLoader<number, RealtimeSession[]>((limits) =>
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
    ),
  };
}
