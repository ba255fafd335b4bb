/** The runner's flags, parsed from process.argv (`npm run bench -- --duration=5 --one-key`). */
import { parseArgs } from 'node:util';

export const TARGET_NAMES = ['direct', 'raw-proxy', 'gateway', 'naive-yoga', 'apollo-rest'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/**
 * What the comparison measures: `sessions`, the limit-20 query on every target (with the
 * fixed-rate round and each target's time from start to first answer). Then, each on the gateway
 * and its REST call on `direct` (max-rate rounds only; the baselines serve none of them):
 * `sessions-64-keys`, the same query rotating 64 keys over the 50 connections (the sharing workload:
 * concurrent requests of one key share an upstream call); `send-signal`, the `sendRealtimeSignal` mutation; `signals`, a 50-signal page of
 * `agent { realtimeSignals }`; `hosts-agent` and `hosts-host`, `agent(id: "7")` and `host`
 * `requestedSessions(limit: 20)` with host keys against a hosts-generation upstream.
 */
export const PATH_NAMES = [
  'sessions',
  'sessions-64-keys',
  'send-signal',
  'signals',
  'hosts-agent',
  'hosts-host',
] as const;
export type PathName = (typeof PATH_NAMES)[number];

export interface BenchOptions {
  readonly targets: readonly TargetName[];
  readonly paths: readonly PathName[];
  /** Seconds per measured round. */
  readonly duration: number;
  readonly rounds: number;
  readonly connections: number;
  /** Requests per second of the fixed-rate round. */
  readonly rate: number;
  /** Seconds of unmeasured load before the rounds (JIT, pools, caches). */
  readonly warmup: number;
  readonly oneKey: boolean;
  readonly matrix: boolean;
  /** Live subscriptions: upstream requests per minute for 1, 10 and 100 subscribers of one key. */
  readonly live: boolean;
}

const USAGE = `npm run bench -- [--targets=direct,raw-proxy,gateway,naive-yoga,apollo-rest]
                 [--paths=sessions,sessions-64-keys,send-signal,signals,hosts-agent,hosts-host]
                 [--duration=10] [--rounds=3] [--connections=50] [--rate=500] [--warmup=3]
                 [--one-key] [--matrix] [--live]`;

function positive(name: string, raw: string, integer = true): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`--${name} expects a positive ${integer ? 'integer' : 'number'}, got "${raw}"\n${USAGE}`);
  }
  return value;
}

function nameList<Name extends string>(flag: string, known: readonly Name[], raw: string): Name[] {
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(known as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`--${flag}: unknown "${unknown.join(', ')}"; choose from ${known.join(', ')}`);
  }
  // Measured in a fixed order, whatever order they were named in, so runs compare.
  return known.filter((name) => names.includes(name));
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      targets: { type: 'string', default: TARGET_NAMES.join(',') },
      paths: { type: 'string', default: PATH_NAMES.join(',') },
      duration: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '50' },
      rate: { type: 'string', default: '500' },
      warmup: { type: 'string', default: '3' },
      'one-key': { type: 'boolean', default: false },
      matrix: { type: 'boolean', default: false },
      live: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  return {
    targets: values.matrix ? ['gateway'] : nameList('targets', TARGET_NAMES, values.targets),
    paths: nameList('paths', PATH_NAMES, values.paths),
    duration: positive('duration', values.duration),
    rounds: positive('rounds', values.rounds),
    connections: positive('connections', values.connections),
    rate: positive('rate', values.rate),
    warmup: positive('warmup', values.warmup),
    oneKey: values['one-key'],
    matrix: values.matrix,
    live: values.live,
  };
}
