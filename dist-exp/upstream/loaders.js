import DataLoader from 'dataloader';
import { requireApiKey } from '../credentials.js';
import { REQUESTED_SESSIONS_LIMIT } from './client.js';
const asError = (error) => (error instanceof Error ? error : new Error(String(error)));
/**
 * Built per request, each loader on first use: requests that never reach the upstream (a
 * missing key, an invalid document, `_service`) pay for none of them. The request's signal is
 * read only when a call is made, for the same reason.
 */
export function createLoaders(client, credential, request) {
    const caller = () => ({
        apiKey: requireApiKey(credential),
        signal: request.signal(),
        requestId: request.id,
    });
    let requestedSessions;
    let sessionById;
    let identity;
    return {
        get requestedSessions() {
            return (requestedSessions ??= new DataLoader((limits) => 
            // One upstream call per distinct limit; a failure fills only its own slot.
            Promise.all(limits.map(async (limit) => {
                try {
                    return await client.listRequestedSessions(caller(), limit);
                }
                catch (error) {
                    return asError(error);
                }
            }))));
        },
        get sessionById() {
            return (sessionById ??= new DataLoader(async (ids) => {
                try {
                    const sessions = await this.requestedSessions.load(REQUESTED_SESSIONS_LIMIT.max);
                    const byId = new Map(sessions.map((session) => [String(session.id), session]));
                    return ids.map((id) => byId.get(id) ?? null);
                }
                catch (error) {
                    return ids.map(() => asError(error));
                }
            }));
        },
        agentIdentity: () => (identity ??= Promise.resolve().then(() => client.getAgentIdentity(caller()))),
    };
}
//# sourceMappingURL=loaders.js.map