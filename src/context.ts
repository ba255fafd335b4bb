import type { YogaInitialContext } from 'graphql-yoga';
import { credentialFromHeaders, type Credential } from './credentials.js';
import type { AgentMcClient } from './upstream/client.js';
import { createLoaders, type Loaders } from './upstream/loaders.js';

/** What every resolver sees: this request's credential and this request's loaders. */
export interface GatewayContext {
  credential: Credential;
  loaders: Loaders;
}

export interface ContextDependencies {
  client: AgentMcClient;
  /** Used only when the caller sends no key at all (server-to-server deployments). */
  fallbackApiKey: string | undefined;
}

export function createContext(
  { request }: YogaInitialContext,
  { client, fallbackApiKey }: ContextDependencies,
): GatewayContext {
  const credential = credentialFromHeaders(request.headers, fallbackApiKey);
  // A client that disconnects abandons its upstream calls too.
  return { credential, loaders: createLoaders(client, credential, () => request.signal) };
}
