#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { GATEWAY_NAME, GATEWAY_VERSION } from './version.js';

// `npx agentmc-graphql --port 8080 --upstream https://agentmc.ai/api/v1`: flags mirror the
// environment variables and win over them; everything else is configured by environment.

const usage = `Usage: ${GATEWAY_NAME} [options]

A GraphQL gateway for the AgentMC REST API.

Options (each overrides the environment variable named beside it):
  --port <number>        port to listen on                 PORT (default 4000)
  --host <address>       interface to listen on            HOST (default 127.0.0.1)
  --upstream <url>       AgentMC base URL, with /api/v1    AGENTMC_API_URL (default: embedded demo)
  --api-generation <g>   auto, hosts or agents             AGENTMC_API_GENERATION (default auto:
                         read from the server's /api/openapi.json)
  --log-level <level>    debug, info, warn, error, silent  LOG_LEVEL (default info)
  -h, --help             print this help
  -v, --version          print the version

Every other setting is an environment variable; see the README's configuration table.
The API key is never a flag (command lines are visible to other users): callers send it in X-Api-Key.`;

const flagToVariable = {
  port: 'PORT',
  host: 'HOST',
  upstream: 'AGENTMC_API_URL',
  'api-generation': 'AGENTMC_API_GENERATION',
  'log-level': 'LOG_LEVEL',
} as const;

let values: { [flag in keyof typeof flagToVariable]?: string } & { help?: boolean; version?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      upstream: { type: 'string' },
      'api-generation': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  process.stderr.write(`${(error as Error).message}. Run with --help for the options.\n`);
  process.exit(1);
}

if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
if (values.version) {
  process.stdout.write(`${GATEWAY_VERSION}\n`);
  process.exit(0);
}
for (const [flag, variable] of Object.entries(flagToVariable)) {
  const value = values[flag as keyof typeof flagToVariable];
  if (value !== undefined) process.env[variable] = value;
}
await import('./main.js');
