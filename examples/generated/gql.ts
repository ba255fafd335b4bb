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
    "query RequestedSessions($limit: Int) {\n  agent {\n    requestedSessions(limit: $limit) {\n      id\n      status\n      requestedByUserId\n      expiresAt\n      createdAt\n      meta\n      socket {\n        channel\n        event\n        authEndpoint\n        connection {\n          host\n          port\n          scheme\n        }\n      }\n    }\n  }\n}": typeof types.RequestedSessionsDocument,
};
const documents: Documents = {
    "query AgentId {\n  agent {\n    id\n  }\n}": types.AgentIdDocument,
    "query RequestedSessions($limit: Int) {\n  agent {\n    requestedSessions(limit: $limit) {\n      id\n      status\n      requestedByUserId\n      expiresAt\n      createdAt\n      meta\n      socket {\n        channel\n        event\n        authEndpoint\n        connection {\n          host\n          port\n          scheme\n        }\n      }\n    }\n  }\n}": types.RequestedSessionsDocument,
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
export function graphql(source: "query RequestedSessions($limit: Int) {\n  agent {\n    requestedSessions(limit: $limit) {\n      id\n      status\n      requestedByUserId\n      expiresAt\n      createdAt\n      meta\n      socket {\n        channel\n        event\n        authEndpoint\n        connection {\n          host\n          port\n          scheme\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query RequestedSessions($limit: Int) {\n  agent {\n    requestedSessions(limit: $limit) {\n      id\n      status\n      requestedByUserId\n      expiresAt\n      createdAt\n      meta\n      socket {\n        channel\n        event\n        authEndpoint\n        connection {\n          host\n          port\n          scheme\n        }\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;