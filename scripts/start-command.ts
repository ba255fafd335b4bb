import { readFileSync } from 'node:fs';

/**
 * Node's arguments for the gateway exactly as `npm start` runs it (its V8 heap flags, then the
 * script), read from package.json so that the benchmark and the soak measure what is deployed.
 */
export function startCommandArgs(): string[] {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    scripts: { start: string };
  };
  const [command, ...args] = manifest.scripts.start.trim().split(/\s+/);
  if (command !== 'node') throw new Error(`package.json "start" must run node, not ${command}`);
  return args;
}
