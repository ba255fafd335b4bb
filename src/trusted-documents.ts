import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from './errors.js';

/*
 * With TRUSTED_DOCUMENTS, only the documents of the manifest run, named by hash (`documentId`, or
 * Apollo's `extensions.persistedQuery.sha256Hash`): over HTTP (Yoga's plugin) and over WebSocket
 * (`trustedDocumentText`) alike; any other document is refused before it is parsed.
 */

const ONLY = 'Only trusted documents can run here: send the hash of a document from the manifest.';
const UNKNOWN = 'Unknown document hash: only the documents of the trusted manifest can run here.';

export function trustedDocumentsOnly(documents: ReadonlyMap<string, string>): Plugin {
  return usePersistedOperations({
    allowArbitraryOperations: false,
    getPersistedOperation: (hash) => documents.get(hash) ?? null,
    customErrors: {
      notFound: { message: UNKNOWN, extensions: { code: ErrorCode.PERSISTED_QUERY_NOT_FOUND } },
      persistedQueryOnly: { message: ONLY, extensions: { code: ErrorCode.PERSISTED_QUERY_ONLY } },
      keyNotFound: { message: ONLY, extensions: { code: ErrorCode.PERSISTED_QUERY_ONLY } },
    },
  }) as Plugin;
}

/** What a graphql-ws `subscribe` message may carry to name its document. */
export interface DocumentRequest {
  query?: unknown;
  documentId?: unknown;
  extensions?: unknown;
}

/** The manifest's text for the hash a request names, or the error that refuses it. */
export function trustedDocumentText(
  documents: ReadonlyMap<string, string>,
  request: DocumentRequest,
): string | GraphQLError {
  const persisted = (request.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)
    ?.persistedQuery?.sha256Hash;
  const hash = typeof request.documentId === 'string' ? request.documentId : persisted;
  if (typeof hash !== 'string') {
    return new GraphQLError(ONLY, { extensions: { code: ErrorCode.PERSISTED_QUERY_ONLY } });
  }
  return (
    documents.get(hash) ??
    new GraphQLError(UNKNOWN, { extensions: { code: ErrorCode.PERSISTED_QUERY_NOT_FOUND } })
  );
}
