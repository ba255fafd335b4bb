import { SESSIONS_PATH } from './support/fake-upstream.js';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  REPO_ROOT,
  runGateway,
  startCommandArgs,
  startCommandEnv,
  startGateway,
} from '../scripts/gateway-process.js';
import { useGateway } from './support/harness.js';

/** The `agentmc-graphql` command from its source, run to its exit. */
const cli = (...args: string[]) => runGateway({ from: 'src', entry: 'cli', args });
const { version } = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')) as { version: string };

describe('the agentmc-graphql command', () => {
  it('the container, the benchmark and the soak start the gateway as npm start does', () => {
    const dockerfile = readFileSync(`${REPO_ROOT}Dockerfile`, 'utf8');

    const args = startCommandArgs();
    expect(args.at(-1)).toBe('dist/main.js');
    // The V8 flags before the script are ones this Node accepts.
    const flags = args.slice(0, -1);
    expect(flags.every((flag) => flag.startsWith('--'))).toBe(true);
    expect(spawnSync(process.execPath, [...flags, '-e', '0'], { encoding: 'utf8' }).status).toBe(0);
    expect(dockerfile).toContain(
      `CMD ${JSON.stringify(['node', ...startCommandArgs()])}`.replaceAll(',', ', '),
    );
    // And its variables: glibc's arenas, capped where the process runs.
    expect(startCommandEnv()).toEqual({ MALLOC_ARENA_MAX: '2' });
    const dockerEnv = /^ENV (.*)$/m.exec(dockerfile)?.[1] ?? '';
    for (const [name, value] of Object.entries(startCommandEnv()))
      expect(dockerEnv).toContain(`${name}=${value}`);
  });

  it('--help lists every flag and the variable it mirrors', async () => {
    const { code, stdout } = await cli('--help');

    expect(code).toBe(0);
    for (const text of [
      '--port',
      'PORT',
      '--host',
      'HOST',
      '--upstream',
      'AGENTMC_API_URL',
      '--api-generation',
      'AGENTMC_API_GENERATION',
      '--log-level',
    ]) {
      expect(stdout).toContain(text);
    }
  });

  it('--version prints the package version', async () => {
    const { code, stdout } = await cli('--version');

    expect(code).toBe(0);
    expect(stdout).toBe(`${version}\n`);
  });

  it('an unknown flag exits 1 with one line', async () => {
    const { code, stderr } = await cli('--api-key', 'mca_secret');

    expect(code).toBe(1);
    expect(stderr).toBe("Unknown option '--api-key'. Run with --help for the options.\n");
  });

  it('a bad flag value is reported like the variable it sets', async () => {
    const { code, stderr } = await cli('--port', 'eighty', '--upstream', 'https://agentmc.ai/api/v1');

    expect(code).toBe(1);
    expect(stderr).toBe('Invalid configuration: PORT: expected a port number from 0 to 65535\n');
  });

  describe('serving', () => {
    const harness = useGateway();

    it('--port, --upstream and --api-generation start the gateway against that upstream, over the variables', async () => {
      const gateway = await startGateway({
        from: 'src',
        entry: 'cli',
        args: ['--port', '0', '--upstream', harness.upstream.baseUrl.href, '--api-generation', 'agents'],
        // What the flags replace: a port that is not one, an upstream that refuses connections, and
        // the other generation (whose routes this upstream does not serve).
        env: { PORT: 'http', AGENTMC_API_URL: 'http://127.0.0.1:1/api/v1', AGENTMC_API_GENERATION: 'hosts' },
      });
      try {
        const { url } = gateway;

        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': 'mca_cli' },
          body: JSON.stringify({ query: '{ agent { requestedSessions(limit: 1) { id } } }' }),
        });

        expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
        // A configured generation: no document is read, the agents route is called with the key.
        expect(
          harness.upstream.requests.map((request) => [request.path, request.headers['x-api-key']]),
        ).toEqual([[SESSIONS_PATH, 'mca_cli']]);
      } finally {
        await gateway.stop();
      }
      expect(await gateway.exit).toEqual({ code: 0, signal: null });
    });
  });
});
