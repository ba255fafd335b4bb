import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createGateway, GRAPHQL_PATH, type Gateway } from '../../src/server.js';

export interface GraphQLResponse {
  status: number;
  headers: Headers;
  text: string;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
  };
}

export interface LogLine {
  level: string;
  msg: string;
  event?: string;
  [field: string]: unknown;
}

export interface TestGateway {
  url: URL;
  /** The gateway's parts, for assertions on its state (live pollers, in-flight calls). */
  parts: Gateway;
  /** Everything the gateway logged, one parsed JSON line each. */
  logs: LogLine[];
  query(
    query: string,
    options?: { variables?: Record<string, unknown>; headers?: Record<string, string> },
  ): Promise<GraphQLResponse>;
  close(): Promise<void>;
}

/** The real gateway, composed as `main.ts` composes it, listening on 127.0.0.1:0. */
export async function startTestGateway(
  upstreamUrl: URL,
  environment: Record<string, string> = {},
): Promise<TestGateway> {
  const config = loadConfig({
    NODE_ENV: 'test',
    AGENTMC_API_URL: upstreamUrl.href,
    // The suite's fakes speak the agents generation unless a test asks for another (or for auto).
    AGENTMC_API_GENERATION: 'agents',
    ...environment,
  });
  const logs: LogLine[] = [];
  const logger = createLogger('debug', {
    write: (line: string) => {
      logs.push(JSON.parse(line) as LogLine);
    },
  });
  const gateway = createGateway(config, upstreamUrl, logger);
  const { httpServer } = gateway;
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  const url = new URL(`http://127.0.0.1:${port}${GRAPHQL_PATH}`);

  return {
    url,
    parts: gateway,
    logs,
    async query(query, { variables, headers = {} } = {}) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
    },
    async close() {
      await gateway.stopLive();
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
      await gateway.closeUpstream();
    },
  };
}
