/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query AgentId {\n  agent {\n    id\n  }\n}": typeof types.AgentIdDocument,
    "mutation ClaimSession($sessionId: ID!, $ownerToken: String, $agentId: ID) {\n  claimRealtimeSession(\n    sessionId: $sessionId\n    ownerToken: $ownerToken\n    agentId: $agentId\n  ) {\n    id\n    status\n    claimedAt\n    meta\n  }\n}": typeof types.ClaimSessionDocument,
    "mutation CloseSession($sessionId: ID!, $status: RealtimeCloseStatus, $reason: String, $agentId: ID) {\n  closeRealtimeSession(\n    sessionId: $sessionId\n    status: $status\n    reason: $reason\n    agentId: $agentId\n  ) {\n    id\n    status\n    closedAt\n  }\n}": typeof types.CloseSessionDocument,
    "subscription LiveSignals($sessionId: ID!, $afterId: ID, $agentId: ID) {\n  realtimeSignalAdded(sessionId: $sessionId, afterId: $afterId, agentId: $agentId) {\n    id\n    sessionId\n    sender\n    upstreamSender\n    type\n    payload\n    createdAt\n  }\n}": typeof types.LiveSignalsDocument,
    "query RequestedSessions($limit: Int) {\n  agent {\n    requestedSessions(limit: $limit) {\n      id\n      status\n      requestedByUserId\n      expiresAt\n      createdAt\n      meta\n      socket {\n        channel\n        event\n        authEndpoint\n        connection {\n          host\n          port\n          scheme\n        }\n      }\n    }\n  }\n}": typeof types.RequestedSessionsDocument,
    "mutation SendSignal($sessionId: ID!, $type: String!, $payload: JSON, $agentId: ID) {\n  sendRealtimeSignal(\n    sessionId: $sessionId\n    type: $type\n    payload: $payload\n    agentId: $agentId\n  ) {\n    id\n    sessionId\n    sender\n    type\n    payload\n    createdAt\n    session {\n      id\n      status\n    }\n  }\n}": typeof types.SendSignalDocument,
};
const documents: Documents = {
    "query AgentId {\n  agent {\n    id\n  }\n}": types.AgentIdDocument,
    "mutation ClaimSession($sessionId: ID!, $ownerToken: String, $agentId: ID) {\n  claimRealtimeSession(\n    sessionId: $sessionId\n    ownerToken: $ownerToken\n    agentId: $agentId\n  ) {\n    id\n    status\n    claimedAt\n    meta\n  }\n}": types.ClaimSessionDocument,
    "mutation CloseSession($sessionId: ID!, $status: RealtimeCloseStatus, $reason: String, $agentId: ID) {\n  closeRealtimeSession(\n    sessionId: $sessionId\n    status: $status\n    reason: $reason\n    agentId: $agentId\n  ) {\n    id\n    status\n    closedAt\n  }\n}": types.CloseSessionDocument,
    "subscription LiveSignals($sessionId: ID!, $afterId: ID, $agentId: ID) {\n  realtimeSignalAdded(sessionId: $sessionId, afterId: $afterId, agentId: $agentId) {\n    id\n    sessionId\n    sender\n    upstreamSender\n    type\n    payload\n    createdAt\n  }\n}": types.LiveSignalsDocument,
    "query RequestedSessions($limit: Int) {\n  agent {\n    requestedSessions(limit: $limit) {\n      id\n      status\n      requestedByUserId\n      expiresAt\n      createdAt\n      meta\n      socket {\n        channel\n        event\n        authEndpoint\n        connection {\n          host\n          port\n          scheme\n        }\n      }\n    }\n  }\n}": types.RequestedSessionsDocument,
    "mutation SendSignal($sessionId: ID!, $type: String!, $payload: JSON, $agentId: ID) {\n  sendRealtimeSignal(\n    sessionId: $sessionId\n    type: $type\n    payload: $payload\n    agentId: $agentId\n  ) {\n    id\n    sessionId\n    sender\n    type\n    payload\n    createdAt\n    session {\n      id\n      status\n    }\n  }\n}": types.SendSignalDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AgentId {\n  agent {\n    id\n  }\n}"): (typeof documents)["query AgentId {\n  agent {\n    id\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ClaimSession($sessionId: ID!, $ownerToken: String, $agentId: ID) {\n  claimRealtimeSession(\n    sessionId: $sessionId\n    ownerToken: $ownerToken\n    agentId: $agentId\n  ) {\n    id\n    status\n    claimedAt\n    meta\n  }\n}"): (typeof documents)["mutation ClaimSession($sessionId: ID!, $ownerToken: String, $agentId: ID) {\n  claimRealtimeSession(\n    sessionId: $sessionId\n    ownerToken: $ownerToken\n    agentId: $agentId\n  ) {\n    id\n    status\n    claimedAt\n    meta\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CloseSession($sessionId: ID!, $status: RealtimeCloseStatus, $reason: String, $agentId: ID) {\n  closeRealtimeSession(\n    sessionId: $sessionId\n    status: $status\n    reason: $reason\n    agentId: $agentId\n  ) {\n    id\n    status\n    closedAt\n  }\n}"): (typeof documents)["mutation CloseSession($sessionId: ID!, $status: RealtimeCloseStatus, $reason: String, $agentId: ID) {\n  closeRealtimeSession(\n    sessionId: $sessionId\n    status: $status\n    reason: $reason\n    agentId: $agentId\n  ) {\n    id\n    status\n    closedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription LiveSignals($sessionId: ID!, $afterId: ID, $agentId: ID) {\n  realtimeSignalAdded(sessionId: $sessionId, afterId: $afterId, agentId: $agentId) {\n    id\n    sessionId\n    sender\n    upstreamSender\n    type\n    payload\n    createdAt\n  }\n}"): (typeof documents)["subscription LiveSignals($sessionId: ID!, $afterId: ID, $agentId: ID) {\n  realtimeSignalAdded(sessionId: $sessionId, afterId: $afterId, agentId: $agentId) {\n    id\n    sessionId\n    sender\n    upstreamSender\n    type\n    payload\n    createdAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query RequestedSessions($limit: Int) {\n  agent {\n    requestedSessions(limit: $limit) {\n      id\n      status\n      requestedByUserId\n      expiresAt\n      createdAt\n      meta\n      socket {\n        channel\n        event\n        authEndpoint\n        connection {\n          host\n          port\n          scheme\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query RequestedSessions($limit: Int) {\n  agent {\n    requestedSessions(limit: $limit) {\n      id\n      status\n      requestedByUserId\n      expiresAt\n      createdAt\n      meta\n      socket {\n        channel\n        event\n        authEndpoint\n        connection {\n          host\n          port\n          scheme\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SendSignal($sessionId: ID!, $type: String!, $payload: JSON, $agentId: ID) {\n  sendRealtimeSignal(\n    sessionId: $sessionId\n    type: $type\n    payload: $payload\n    agentId: $agentId\n  ) {\n    id\n    sessionId\n    sender\n    type\n    payload\n    createdAt\n    session {\n      id\n      status\n    }\n  }\n}"): (typeof documents)["mutation SendSignal($sessionId: ID!, $type: String!, $payload: JSON, $agentId: ID) {\n  sendRealtimeSignal(\n    sessionId: $sessionId\n    type: $type\n    payload: $payload\n    agentId: $agentId\n  ) {\n    id\n    sessionId\n    sender\n    type\n    payload\n    createdAt\n    session {\n      id\n      status\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;