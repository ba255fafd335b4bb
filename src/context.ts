import type { YogaInitialContext } from 'graphql-yoga';
import { credentialFromHeaders, type Credential } from './credentials.js';
import type { RequestedSessionsFeeds } from './live/requested-sessions-feed.js';
import { requestIdOf } from './plugins/use-request-id.js';
import type { AgentMcClient } from './upstream/client.js';
import { createLoaders, type Loaders } from './upstream/loaders.js';

/** What every resolver sees: this request's credential, id and loaders. */
export interface GatewayContext {
  credential: Credential;
  requestId: string | undefined;
  loaders: Loaders;
  /** The server's live feeds, shared by all requests (each feed is keyed by credential). */
  feeds: RequestedSessionsFeeds;
}

export interface ContextDependencies {
  client: AgentMcClient;
  feeds: RequestedSessionsFeeds;
  /** Used only when the caller sends no key at all (server-to-server deployments). */
  fallbackApiKey: string | undefined;
}

export function createContext(
  { request }: YogaInitialContext,
  { client, feeds, fallbackApiKey }: ContextDependencies,
): GatewayContext {
  const credential = credentialFromHeaders(request.headers, fallbackApiKey);
  // A client that disconnects abandons its upstream calls too.
  const requestId = requestIdOf(request);
  return {
    credential,
    requestId,
    feeds,
    loaders: createLoaders(client, credential, { signal: () => request.signal, id: requestId }),
  };
}
