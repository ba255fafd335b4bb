import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
/** Connection parameters a client may send the key in: `{ "X-Api-Key": "…" }` or `{ authorization }`. */
function headersFrom(params, upgrade) {
    const headers = new Headers();
    for (const [name, value] of Object.entries(params ?? {})) {
        if (typeof value === 'string' && /^(x-api-key|authorization)$/i.test(name))
            headers.set(name, value);
    }
    // Browsers cannot set headers on a WebSocket; non-browser clients may, on the upgrade request.
    for (const name of ['x-api-key', 'authorization']) {
        const value = upgrade.get(name);
        if (value !== null && !headers.has(name))
            headers.set(name, value);
    }
    return headers;
}
/**
 * GraphQL over WebSocket (graphql-ws) on the same path as HTTP, for clients that prefer it to
 * Server-Sent Events. Operations run through Yoga's envelope, so validation, limits and masking
 * are the same; the key comes from the connection parameters. graphql-ws pings every 12 s.
 */
export function attachWebSocketServer(httpServer, yoga, path) {
    const webSocketServer = new WebSocketServer({ server: httpServer, path });
    const disposable = useServer({
        execute: (args) => args.rootValue.execute(args),
        subscribe: (args) => args.rootValue.subscribe(args),
        onSubscribe: async (context, _id, payload) => {
            const upgrade = new Headers();
            for (const [name, value] of Object.entries(context.extra.request.headers)) {
                if (typeof value === 'string')
                    upgrade.set(name, value);
            }
            const request = new Request(`http://localhost${path}`, {
                headers: headersFrom(context.connectionParams, upgrade),
            });
            const enveloped = yoga.getEnveloped({ request, params: payload });
            const document = enveloped.parse(payload.query);
            const errors = enveloped.validate(enveloped.schema, document);
            if (errors.length > 0)
                return errors;
            return {
                schema: enveloped.schema,
                document,
                operationName: payload.operationName,
                variableValues: payload.variables,
                contextValue: await enveloped.contextFactory(),
                rootValue: enveloped,
            };
        },
    }, webSocketServer);
    return {
        close: async () => {
            await disposable.dispose();
            await new Promise((resolve) => webSocketServer.close(() => resolve()));
        },
    };
}
//# sourceMappingURL=websocket.js.map