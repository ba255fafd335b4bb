import { ConfigError, loadConfig, type GatewayConfig } from './config.js';
import { DEMO_HOST_AGENT_IDS, startDemoUpstream, type DemoUpstream } from './demo/demo-upstream.js';
import { createLogger } from './logger.js';
import { createGateway, GRAPHQL_PATH } from './server.js';
import { startTracing, type Tracing } from './tracing.js';

// Process entry only: config → upstream → gateway → listen, and a graceful shutdown.

let config: GatewayConfig;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const logger = createLogger(config.logLevel);
// Before the gateway is built, so its first upstream request is already traced.
const tracing: Tracing | undefined =
  config.tracing === 'off' ? undefined : await startTracing(config.tracing);

let demo: DemoUpstream | undefined;
let upstreamUrl = config.upstreamUrl;
if (upstreamUrl === undefined) {
  demo = await startDemoUpstream(config.apiGeneration);
  upstreamUrl = demo.url;
  logger.warn(
    { event: 'demo_upstream', url: upstreamUrl.href, generation: demo.generation },
    `demo upstream in use: sample data, ${demo.generation} generation`,
  );
  // Also in plain words on stderr, where a person starting it by hand will see it.
  const keys =
    demo.generation === 'hosts'
      ? `use any cc_ key and agent(id: ${DEMO_HOST_AGENT_IDS.join('|')}).`
      : 'any key works.';
  process.stderr.write(
    [
      '',
      '*************************************************************************',
      '*  AGENTMC_API_URL is not set: serving SAMPLE DATA from the embedded',
      `*  demo upstream, which speaks the ${demo.generation} generation of the AgentMC API:`,
      `*  ${keys}`,
      '*  Set AGENTMC_API_URL to reach AgentMC (e.g. https://agentmc.ai/api/v1).',
      '*  Refused when NODE_ENV=production.',
      '*************************************************************************',
      '',
    ].join('\n'),
  );
}

const gateway = createGateway(config, upstreamUrl, logger);
const { httpServer } = gateway;

httpServer.on('error', (error: NodeJS.ErrnoException) => {
  process.stderr.write(
    `Cannot listen on ${config.host}:${config.port}: ${error.code ?? error.message}. Set PORT or HOST.\n`,
  );
  process.exit(1);
});

httpServer.listen(config.port, config.host, () => {
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}${GRAPHQL_PATH}`;
  logger.info({ event: 'listening', url }, `GraphQL${config.graphiql ? ' and GraphiQL' : ''} at ${url}`);
});

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info(
    { event: 'shutdown', signal },
    `${signal} received: finishing in-flight requests, then exiting`,
  );
  // Past the grace period, requests still running are cut off rather than holding the exit.
  const force = setTimeout(() => httpServer.closeAllConnections(), config.shutdownTimeoutMs);
  force.unref();
  // Connections still serving a request close as soon as their response is sent.
  httpServer.keepAliveTimeout = 1;
  // Live streams never end by themselves: end them, so their connections let the server close.
  await gateway.stopLive();
  await new Promise<void>((resolve) => {
    httpServer.close(() => resolve());
    httpServer.closeIdleConnections();
  });
  clearTimeout(force);
  await gateway.closeUpstream();
  await demo?.close();
  await tracing?.shutdown();
  logger.info({ event: 'stopped' }, 'stopped');
  process.exit(0);
}

process.once('SIGTERM', (signal) => void shutdown(signal));
process.once('SIGINT', (signal) => void shutdown(signal));
