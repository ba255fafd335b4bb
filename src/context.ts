import type { YogaInitialContext } from 'graphql-yoga';
import type { GatewayConfig } from './settings.js';
import { RequestCredential } from './caller.js';
import { credentialFromHeaders } from './credentials.js';
import type { RequestedSessionsFeeds } from './live/requested-sessions-feed.js';
import type { SignalFeeds } from './live/signals-feed.js';
import { requestIdOf } from './plugins/use-request-id.js';
import type { AgentMcClient } from './upstream/client.js';
import { createLoaders, type Loaders } from './upstream/loaders.js';

/** What every resolver sees: this request's credential (and through it, its caller) and loaders. */
export interface GatewayContext {
  /** `credential.caller()` is who calls, for queries and subscriptions alike (UNAUTHENTICATED without a usable key). */
  credential: RequestCredential;
  loaders: Loaders;
  /** The server's live feeds, shared by all requests (each feed is keyed by credential). */
  feeds: RequestedSessionsFeeds;
  /** The signals feeds of `realtimeSignalAdded`, shared likewise. */
  signalFeeds: SignalFeeds;
  /** The AgentMC client, for the calls no loader batches: mutations (never shared, never cached). */
  upstream: AgentMcClient;
  /** The session lifecycle's limits (`REALTIME_MAX_PAYLOAD_BYTES`). */
  limits: GatewayConfig['realtime'];
}

export interface ContextDependencies {
  client: AgentMcClient;
  feeds: RequestedSessionsFeeds;
  signalFeeds: SignalFeeds;
  limits: GatewayConfig['realtime'];
  /** Used only when the caller sends no key at all (server-to-server deployments). */
  fallbackApiKey: string | undefined;
}

/** The one place a request's caller is made, over HTTP and WebSocket alike. */
export function createContext(
  { request }: YogaInitialContext,
  { client, feeds, signalFeeds, limits, fallbackApiKey }: ContextDependencies,
): GatewayContext {
  const credential = new RequestCredential(
    credentialFromHeaders(request.headers, fallbackApiKey),
    requestIdOf(request),
    // A client that disconnects abandons its upstream calls too.
    () => request.signal,
  );
  return {
    credential,
    feeds,
    signalFeeds,
    upstream: client,
    limits,
    loaders: createLoaders(client, credential),
  };
}
