/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** How a session ends. */
export type RealtimeCloseStatus =
  /** Normally. */
  | 'CLOSED'
  /** With an error (for example a stale claim given up). */
  | 'FAILED';

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

/** Who sent a signal. */
export type RealtimeSignalSender =
  /** The agent (this gateway's caller, or another runtime of it). */
  | 'AGENT'
  /** The browser user of the session. */
  | 'BROWSER'
  /** AgentMC itself. */
  | 'SYSTEM'
  /** A sender the AgentMC API added after this gateway was built: read `upstreamSender`. */
  | 'UNKNOWN';

export type AgentIdQueryVariables = Exact<{ [key: string]: never; }>;


export type AgentIdQuery = { agent: { id: string } | null };

export type ClaimSessionMutationVariables = Exact<{
  sessionId: string | number;
  ownerToken?: string | null | undefined;
  agentId?: string | number | null | undefined;
}>;


export type ClaimSessionMutation = { claimRealtimeSession: { id: string, status: RealtimeSessionStatus, claimedAt: string | null, meta: Record<string, unknown> | null } };

export type CloseSessionMutationVariables = Exact<{
  sessionId: string | number;
  status?: RealtimeCloseStatus | null | undefined;
  reason?: string | null | undefined;
  agentId?: string | number | null | undefined;
}>;


export type CloseSessionMutation = { closeRealtimeSession: { id: string, status: RealtimeSessionStatus, closedAt: string | null } };

export type LiveSignalsSubscriptionVariables = Exact<{
  sessionId: string | number;
  afterId?: string | number | null | undefined;
  agentId?: string | number | null | undefined;
}>;


export type LiveSignalsSubscription = { realtimeSignalAdded: { id: string, sessionId: string, sender: RealtimeSignalSender, upstreamSender: string, type: string, payload: unknown, createdAt: string | null } };

export type RequestedSessionsQueryVariables = Exact<{
  limit?: number | null | undefined;
}>;


export type RequestedSessionsQuery = { agent: { requestedSessions: Array<{ id: string, status: RealtimeSessionStatus, requestedByUserId: string | null, expiresAt: string | null, createdAt: string | null, meta: Record<string, unknown> | null, socket: { channel: string, event: string, authEndpoint: string, connection: { host: string, port: number, scheme: string } } | null }> } | null };

export type SendSignalMutationVariables = Exact<{
  sessionId: string | number;
  type: string;
  payload?: unknown;
  agentId?: string | number | null | undefined;
}>;


export type SendSignalMutation = { sendRealtimeSignal: { id: string, sessionId: string, sender: RealtimeSignalSender, type: string, payload: unknown, createdAt: string | null, session: { id: string, status: RealtimeSessionStatus } } };


export const AgentIdDocument = {"__meta__":{"hash":"1e0a571133acd119c5c04b8c4b07c023b8fab43c62a5a431a5c43f4db82d0694"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AgentId"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<AgentIdQuery, AgentIdQueryVariables>;
export const ClaimSessionDocument = {"__meta__":{"hash":"2b5491af15bee32098d89185c78f392e5c998fa3950ff476fbcd3a383ce3ea7e"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ClaimSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ownerToken"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"agentId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"claimRealtimeSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"sessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}}},{"kind":"Argument","name":{"kind":"Name","value":"ownerToken"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ownerToken"}}},{"kind":"Argument","name":{"kind":"Name","value":"agentId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"agentId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"claimedAt"}},{"kind":"Field","name":{"kind":"Name","value":"meta"}}]}}]}}]} as unknown as DocumentNode<ClaimSessionMutation, ClaimSessionMutationVariables>;
export const CloseSessionDocument = {"__meta__":{"hash":"5b31a83ea9c3abe510d96c540c5e450b6d9accca57ac1531c298a6d620763590"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CloseSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"status"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"RealtimeCloseStatus"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"reason"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"agentId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"closeRealtimeSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"sessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}}},{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"Variable","name":{"kind":"Name","value":"status"}}},{"kind":"Argument","name":{"kind":"Name","value":"reason"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reason"}}},{"kind":"Argument","name":{"kind":"Name","value":"agentId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"agentId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"closedAt"}}]}}]}}]} as unknown as DocumentNode<CloseSessionMutation, CloseSessionMutationVariables>;
export const LiveSignalsDocument = {"__meta__":{"hash":"3474821a9f19c772412640585bd9895e0623e6105c36cdffae35d640ffb5dce8"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"LiveSignals"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"afterId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"agentId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"realtimeSignalAdded"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"sessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}}},{"kind":"Argument","name":{"kind":"Name","value":"afterId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"afterId"}}},{"kind":"Argument","name":{"kind":"Name","value":"agentId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"agentId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"sender"}},{"kind":"Field","name":{"kind":"Name","value":"upstreamSender"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"payload"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]} as unknown as DocumentNode<LiveSignalsSubscription, LiveSignalsSubscriptionVariables>;
export const RequestedSessionsDocument = {"__meta__":{"hash":"c249f3deaf97abd8e39a3d37b100b3238fd15a3ae3425db13ef99e7d9f0757af"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RequestedSessions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestedSessions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"requestedByUserId"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"meta"}},{"kind":"Field","name":{"kind":"Name","value":"socket"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"event"}},{"kind":"Field","name":{"kind":"Name","value":"authEndpoint"}},{"kind":"Field","name":{"kind":"Name","value":"connection"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"host"}},{"kind":"Field","name":{"kind":"Name","value":"port"}},{"kind":"Field","name":{"kind":"Name","value":"scheme"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<RequestedSessionsQuery, RequestedSessionsQueryVariables>;
export const SendSignalDocument = {"__meta__":{"hash":"73d0ec0c2008472f52f19a52f51a38ece9e5b42cdd20feae293c72d3261e7b2a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SendSignal"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"type"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"payload"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"agentId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sendRealtimeSignal"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"sessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}}},{"kind":"Argument","name":{"kind":"Name","value":"type"},"value":{"kind":"Variable","name":{"kind":"Name","value":"type"}}},{"kind":"Argument","name":{"kind":"Name","value":"payload"},"value":{"kind":"Variable","name":{"kind":"Name","value":"payload"}}},{"kind":"Argument","name":{"kind":"Name","value":"agentId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"agentId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"sessionId"}},{"kind":"Field","name":{"kind":"Name","value":"sender"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"payload"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"session"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<SendSignalMutation, SendSignalMutationVariables>;