/**
 * A typed client of the gateway: lists the realtime sessions browsers have asked your agent to join.
 *
 *   AGENTMC_API_KEY=mca_... npm run example                  # sends the query text
 *   AGENTMC_API_KEY=mca_... npm run example -- --persisted    # sends only its hash
 *
 * `GATEWAY_URL` defaults to http://localhost:4000/graphql. The document and its types come from
 * `examples/operations/requested-sessions.graphql` through `npm run codegen`.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { ClientError, GraphQLClient } from 'graphql-request';
import { RequestedSessionsDocument } from './generated/graphql.js';

const url = process.env.GATEWAY_URL ?? 'http://localhost:4000/graphql';
const apiKey = process.env.AGENTMC_API_KEY;
if (!apiKey) {
  console.error('Set AGENTMC_API_KEY to your agent API key.');
  process.exit(2);
}
const persisted = process.argv.includes('--persisted');

/** The SHA-256 that `npm run codegen` embedded in the document: its key in persisted-documents.json. */
function persistedHash(document: TypedDocumentNode<unknown, never>): string {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  if (typeof hash !== 'string') throw new Error('No hash in the document: run `npm run codegen`.');
  return hash;
}

const client = new GraphQLClient(url, {
  headers: { 'X-Api-Key': apiKey },
  // With --persisted, the body carries the hash instead of the text (the persisted-query
  // extension): `{ operationName, variables, extensions: { persistedQuery: { version: 1, sha256Hash } } }`.
  requestMiddleware: persisted
    ? (request) => {
        const { query: _text, ...body } = JSON.parse(String(request.body)) as Record<string, unknown>;
        const persistedQuery = { version: 1, sha256Hash: persistedHash(RequestedSessionsDocument) };
        return { ...request, body: JSON.stringify({ ...body, extensions: { persistedQuery } }) };
      }
    : undefined,
});

try {
  // `data` is a RequestedSessionsQuery, `{ limit }` is checked against RequestedSessionsQueryVariables.
  const data = await client.request(RequestedSessionsDocument, { limit: 5 });
  const sessions = data.agent?.requestedSessions ?? [];
  console.log(`${sessions.length} requested session(s)${persisted ? ' (persisted document)' : ''}:`);
  for (const session of sessions) {
    const by = session.requestedByUserId ? `user ${session.requestedByUserId}` : 'the system';
    const socket = session.socket;
    const where = socket
      ? `${socket.connection.scheme}://${socket.connection.host}:${socket.connection.port} ${socket.channel}`
      : 'no socket';
    console.log(
      `  #${session.id} ${session.status} requested by ${by}, expires ${session.expiresAt ?? 'never'}, ${where}`,
    );
  }
} catch (error) {
  // GraphQL errors carry the gateway's `extensions.code` (UNAUTHENTICATED, RATE_LIMITED, ...).
  if (error instanceof ClientError && error.response.errors?.length) {
    for (const { message, extensions } of error.response.errors)
      console.error(`${extensions?.code}: ${message}`);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
}
