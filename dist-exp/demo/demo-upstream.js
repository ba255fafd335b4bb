import { createServer } from 'node:http';
import { demoInstructions, sampleSessions } from './sample-sessions.js';
const SESSIONS_PATH = '/api/v1/agents/realtime/sessions/requested';
const INSTRUCTIONS_PATH = '/api/v1/agents/instructions';
/**
 * A stand-in for the AgentMC API so `npm start` works with no configuration. It accepts any
 * well-formed key and answers like the real endpoint, error envelope included.
 */
export async function startDemoUpstream() {
    const server = createServer((request, response) => {
        const url = new URL(request.url ?? '/', 'http://demo.invalid');
        const send = (status, body) => {
            response.writeHead(status, { 'content-type': 'application/json' });
            response.end(JSON.stringify(body));
        };
        if (request.method !== 'GET' || ![SESSIONS_PATH, INSTRUCTIONS_PATH].includes(url.pathname)) {
            return send(404, { error: { code: 'not_found', message: 'Not found.' } });
        }
        if (!request.headers['x-api-key']) {
            return send(401, { error: { code: 'unauthenticated', message: 'Missing API key.' } });
        }
        if (url.pathname === INSTRUCTIONS_PATH) {
            return send(200, demoInstructions());
        }
        const limit = Number(url.searchParams.get('limit') ?? 20);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
            return send(422, {
                error: {
                    code: 'validation.failed',
                    message: 'Validation failed.',
                    details: { fields: { limit: ['The limit must be between 1 and 100.'] } },
                },
            });
        }
        send(200, { data: sampleSessions().slice(0, limit) });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    return {
        url: new URL(`http://127.0.0.1:${port}/api/v1`),
        close: () => new Promise((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
        }),
    };
}
//# sourceMappingURL=demo-upstream.js.map