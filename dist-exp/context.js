import { credentialFromHeaders } from './credentials.js';
import { requestIdOf } from './plugins/use-request-id.js';
import { createLoaders } from './upstream/loaders.js';
export function createContext({ request }, { client, feeds, fallbackApiKey }) {
    const credential = credentialFromHeaders(request.headers, fallbackApiKey);
    // A client that disconnects abandons its upstream calls too.
    const requestId = requestIdOf(request);
    return {
        credential,
        requestId,
        feeds,
        loaders: createLoaders(client, credential, { signal: () => request.signal, id: requestId }),
    };
}
//# sourceMappingURL=context.js.map