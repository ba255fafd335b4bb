/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Where a realtime session is in its lifecycle. */
export type RealtimeSessionStatus =
  /** The session is open and both sides are connected. */
  | 'ACTIVE'
  /** The agent claimed the session and is about to open it. */
  | 'CLAIMED'
  /** The session ended normally. */
  | 'CLOSED'
  /** Nobody claimed or used the session before it expired. */
  | 'EXPIRED'
  /** The session ended with an error. */
  | 'FAILED'
  /** A browser asked the agent to join; nobody has claimed it yet. */
  | 'REQUESTED'
  /** A status the AgentMC API added after this gateway was built. Read `upstreamStatus` for its name; the gateway logs a warning the first time it meets one. */
  | 'UNKNOWN';

export type AgentIdQueryVariables = Exact<{ [key: string]: never; }>;


export type AgentIdQuery = { agent: { id: string } | null };

export type RequestedSessionsQueryVariables = Exact<{
  limit?: number | null | undefined;
}>;


export type RequestedSessionsQuery = { agent: { requestedSessions: Array<{ id: string, status: RealtimeSessionStatus, requestedByUserId: string | null, expiresAt: string | null, createdAt: string | null, meta: Record<string, unknown> | null, socket: { channel: string, event: string, authEndpoint: string, connection: { host: string, port: number, scheme: string } } | null }> } | null };


export const AgentIdDocument = {"__meta__":{"hash":"1e0a571133acd119c5c04b8c4b07c023b8fab43c62a5a431a5c43f4db82d0694"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AgentId"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<AgentIdQuery, AgentIdQueryVariables>;
export const RequestedSessionsDocument = {"__meta__":{"hash":"c249f3deaf97abd8e39a3d37b100b3238fd15a3ae3425db13ef99e7d9f0757af"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RequestedSessions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestedSessions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"requestedByUserId"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"meta"}},{"kind":"Field","name":{"kind":"Name","value":"socket"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"event"}},{"kind":"Field","name":{"kind":"Name","value":"authEndpoint"}},{"kind":"Field","name":{"kind":"Name","value":"connection"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"host"}},{"kind":"Field","name":{"kind":"Name","value":"port"}},{"kind":"Field","name":{"kind":"Name","value":"scheme"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<RequestedSessionsQuery, RequestedSessionsQueryVariables>;