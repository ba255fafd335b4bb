import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_PREFIX, errorEnvelope } from '../agentmc-wire.js';
import type { ApiGenerationSetting } from '../settings.js';
import { createDemoApi, type DemoApi } from './demo-api.js';
import { DEMO_HOST_AGENT_IDS, sampleHost } from './sample-host.js';
import { DEMO_AGENT_ID, demoInstructions, sampleSessions } from './sample-sessions.js';
import { sampleSignals } from './sample-signals.js';

export { DEMO_HOST_AGENT_IDS } from './sample-host.js';

export interface DemoUpstream {
  /** Base URL to use as AGENTMC_API_URL, ending in /api/v1. */
  url: URL;
  /** The generation it speaks: `auto` gives the hosts generation, the current one. */
  generation: 'hosts' | 'agents';
  close(): Promise<void>;
}

/** Request bodies above this are refused (413): the lifecycle's bodies are a few KiB. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The demo's state in `generation`: the agents generation's agent 42 (any key), or the hosts
 * generation's host with agents 42, 43 and 44 (any `cc_` key), with their sample sessions and the
 * history of session 990.
 */
export function demoApi(generation: 'hosts' | 'agents', browserAnswerMs: number | null = 300): DemoApi {
  const started = Date.now();
  return generation === 'agents'
    ? createDemoApi({
        generation,
        sessions: (now) => sampleSessions(now),
        agentId: DEMO_AGENT_ID,
        instructions: () => demoInstructions(),
        seed: sampleSignals(started),
        browserAnswerMs,
      })
    : createDemoApi({
        generation,
        sessions: (now) => sampleHost(now).hostWide,
        hostAgentIds: DEMO_HOST_AGENT_IDS,
        instructions: (agentId) => sampleHost().instructions(agentId),
        seed: sampleSignals(started),
        browserAnswerMs,
      });
}

/** The body's text, or null when it is larger than `MAX_BODY_BYTES` (read to its end all the same). */
function bodyText(request: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.once('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
  });
}

/**
 * A stand-in for the AgentMC API so `npm start` works with no configuration, speaking the
 * configured generation (`auto`: hosts) and answering like the real endpoints, error envelope,
 * route misses and published OpenAPI document included. It keeps state: claims, signals and
 * closes change its sessions for as long as it runs, and a simulated browser answers an agent's
 * first signal in a session.
 */
export async function startDemoUpstream(setting: ApiGenerationSetting = 'auto'): Promise<DemoUpstream> {
  const generation = setting === 'agents' ? 'agents' : 'hosts';
  const api = demoApi(generation);
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://demo.invalid');
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    bodyText(request).then(
      (body) => {
        if (body === null)
          return send(413, errorEnvelope('payload_too_large', 'The request body is too large.'));
        const { status, body: answer } = api.answer({
          method: request.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: request.headers,
          body,
        });
        send(status, answer);
      },
      () => response.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}${API_PREFIX}`),
    generation,
    close: () =>
      new Promise<void>((resolve) => {
        api.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
