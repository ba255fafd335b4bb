import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { startCommandArgs } from '../scripts/start-command.js';
import { describe, expect, it } from 'vitest';
import { useGateway } from './support/harness.js';

const root = new URL('..', import.meta.url);
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });

describe('the agentmc-graphql command', () => {
  it('the container, the benchmark and the soak start the gateway as npm start does', () => {
    const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');

    const args = startCommandArgs();
    expect(args.at(-1)).toBe('dist/main.js');
    // The V8 flags before the script are ones this Node accepts.
    const flags = args.slice(0, -1);
    expect(flags.every((flag) => flag.startsWith('--'))).toBe(true);
    expect(spawnSync(process.execPath, [...flags, '-e', '0'], { encoding: 'utf8' }).status).toBe(0);
    expect(dockerfile).toContain(
      `CMD ${JSON.stringify(['node', ...startCommandArgs()])}`.replaceAll(',', ', '),
    );
  });

  it('--help lists every flag and the variable it mirrors', () => {
    const { status, stdout } = cli('--help');

    expect(status).toBe(0);
    for (const text of ['--port', 'PORT', '--host', 'HOST', '--upstream', 'AGENTMC_API_URL', '--log-level']) {
      expect(stdout).toContain(text);
    }
  });

  it('--version prints the package version', () => {
    expect(cli('--version').stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('an unknown flag exits 1 with one line', () => {
    const { status, stderr } = cli('--api-key', 'mca_secret');

    expect(status).toBe(1);
    expect(stderr).toBe("Unknown option '--api-key'. Run with --help for the options.\n");
  });

  it('a bad flag value is reported like the variable it sets', () => {
    const { status, stderr } = cli('--port', 'eighty', '--upstream', 'https://agentmc.ai/api/v1');

    expect(status).toBe(1);
    expect(stderr).toBe('Invalid configuration: PORT: expected a port number from 0 to 65535\n');
  });

  describe('serving', () => {
    const harness = useGateway();

    it('--port and --upstream start the gateway against that upstream', async () => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/cli.ts', '--port', '0', '--upstream', harness.upstream.baseUrl.href],
        { cwd: root, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      try {
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        while (!/"event":"listening"/.test(output) && child.exitCode === null) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const url = /"url":"([^"]+)"/.exec(output)?.[1] ?? '';

        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': 'mca_cli' },
          body: JSON.stringify({ query: '{ agent { requestedSessions(limit: 1) { id } } }' }),
        });

        expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
        expect(harness.upstream.requests.map((request) => request.headers['x-api-key'])).toEqual(['mca_cli']);
      } finally {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      expect(child.exitCode).toBe(0);
    });
  });
});
