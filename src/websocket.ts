import type { Server } from 'node:http';
import { GraphQLError, type DocumentNode, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { GatewayContext } from './context.js';
import { ErrorCode } from './errors.js';
import { withErrorCode } from './plugins/use-request-error-codes.js';
import { trustedDocumentText } from './trusted-documents.js';
import { assignRequestId } from './plugins/use-request-id.js';

/**
 * Connection parameters a client may send the key in: `{ "X-Api-Key": "…" }` or
 * `{ authorization }`, and its own request id as `X-Request-Id`.
 */
function headersFrom(params: Readonly<Record<string, unknown>> | undefined, upgrade: Headers): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(params ?? {})) {
    if (typeof value === 'string' && /^(x-api-key|authorization|x-request-id)$/i.test(name)) {
      headers.set(name, value);
    }
  }
  // Browsers cannot set headers on a WebSocket; non-browser clients may, on the upgrade request.
  for (const name of ['x-api-key', 'authorization', 'x-request-id']) {
    const value = upgrade.get(name);
    if (value !== null && !headers.has(name)) headers.set(name, value);
  }
  return headers;
}

type Enveloped = ReturnType<YogaServerInstance<Record<string, never>, GatewayContext>['getEnveloped']>;

/**
 * GraphQL over WebSocket (graphql-ws) on the same path as HTTP, for clients that prefer it to
 * Server-Sent Events. Operations run through Yoga's envelope, so validation, limits and masking
 * are the same; the key comes from the connection parameters, and every operation gets a request
 * id as an HTTP request does. graphql-ws pings every 12 s.
 */
export function attachWebSocketServer(
  httpServer: Server,
  yoga: YogaServerInstance<Record<string, never>, GatewayContext>,
  path: string,
  trustedDocuments?: ReadonlyMap<string, string>,
): { close(): Promise<void> } {
  const webSocketServer = new WebSocketServer({ server: httpServer, path });
  const disposable = useServer<Record<string, unknown>>(
    {
      execute: (args) => (args.rootValue as Enveloped).execute(args as ExecutionArgs),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args as ExecutionArgs),
      onSubscribe: async (context, _id, payload) => {
        const upgrade = new Headers();
        for (const [name, value] of Object.entries(context.extra.request.headers)) {
          if (typeof value === 'string') upgrade.set(name, value);
        }
        // POST: Yoga refuses mutations from any other method (a GET could be a cross-site link).
        const request = new Request(`http://localhost${path}`, {
          method: 'POST',
          headers: headersFrom(context.connectionParams, upgrade),
        });
        // Each operation is a request of its own: its id is sent upstream and logged.
        assignRequestId(request);
        // The manifest's text, named by hash, as over HTTP: a text of the client's own never runs.
        const query =
          trustedDocuments === undefined ? payload.query : trustedDocumentText(trustedDocuments, payload);
        if (query instanceof GraphQLError) return [query];
        const enveloped = yoga.getEnveloped({ request, params: { ...payload, query } } as never);
        let document: DocumentNode;
        try {
          document = enveloped.parse(query);
        } catch (error) {
          // Returned, not thrown: graphql-ws would close the whole connection (4500) on a throw.
          if (error instanceof GraphQLError) return [withErrorCode(error, ErrorCode.GRAPHQL_PARSE_FAILED)];
          throw error;
        }
        const errors: readonly GraphQLError[] = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) {
          return errors.map((error) => withErrorCode(error, ErrorCode.GRAPHQL_VALIDATION_FAILED));
        }
        return {
          schema: enveloped.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: enveloped,
        };
      },
    },
    webSocketServer,
  );
  return {
    close: async () => {
      await disposable.dispose();
      await new Promise<void>((resolve) => webSocketServer.close(() => resolve()));
    },
  };
}
