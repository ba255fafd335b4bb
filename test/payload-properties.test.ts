// Over 250 lines: one generator per documented schema, and the mapping each one must get; they read best side by side.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SESSION_STATUSES, SIGNAL_SENDERS } from '../src/agentmc-wire.js';
import { SignalHistory } from '../src/live/signal-window.js';
import { compareIds } from '../src/upstream/decimal-ids.js';
import { hasLongDigitRun } from '../src/upstream/exact-json.js';
import {
  parseCreatedSignal,
  parseSessionResponse,
  parseSignalList,
  parseSocketAuthorization,
} from '../src/upstream/lifecycle-payloads.js';
import type { RealtimeSession, RealtimeSignal } from '../src/upstream/models.js';
import type { ParseResult } from '../src/upstream/payload-validator.js';
import { parseAgentIdentity, parseRequestedSessions } from '../src/upstream/payloads.js';
import { readPayload } from '../src/upstream/read-response.js';

/*
 * Generated answers, as text, thrown at the payload readers through `readPayload` (the path a
 * live answer takes). The generators follow the documented schemas (AgentRealtimeSession,
 * AgentRealtimeSignal, and the list, claim/close, create, signals, socket-auth and instructions
 * answers): ids of any sign and size (beyond 2^53 too, some written with an exponent), unknown
 * statuses and senders, any offset and case of RFC 3339 timestamps, leap seconds, free-form meta
 * and payload, the optional socket, and extra fields everywhere. Each valid answer must map exactly;
 * each invalid one (one required field removed, or one value of a wrong type) must be refused
 * with the path of that field.
 */

const RUNS = 1000;

/** An id as the model knows it (a bigint) and as the body writes it. */
class Id {
  constructor(
    readonly value: bigint,
    readonly text: string,
  ) {}
}

const TWO_53 = 2n ** 53n;
const idValue = fc.oneof(
  fc.integer({ min: -100, max: 100_000 }).map(BigInt),
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
  fc.integer({ min: -40, max: 40 }).map((k) => TWO_53 + BigInt(k)),
  fc.integer({ min: -40, max: 40 }).map((k) => -TWO_53 + BigInt(k)),
  fc.bigInt({ min: 10n ** 20n, max: 10n ** 40n }),
  fc
    .integer({ min: 1, max: 9 })
    .chain((m) => fc.integer({ min: 1, max: 40 }).map((k) => BigInt(m) * 10n ** BigInt(k))),
);

/** Every way JSON may write the integer `value`: plainly, with `.0`, with an exponent. */
function idTexts(value: bigint): string[] {
  const plain = value.toString();
  const forms = [plain, plain, `${plain}.0`];
  const zeros = /0*$/.exec(plain)?.[0].length ?? 0;
  if (value !== 0n && zeros > 0) {
    const mantissa = plain.slice(0, plain.length - zeros);
    forms.push(`${mantissa}e${zeros}`, `${mantissa}E+${zeros}`);
    if (mantissa.replace('-', '').length > 1) {
      const sign = mantissa.startsWith('-') ? '-' : '';
      const digits = mantissa.replace('-', '');
      forms.push(`${sign}${digits[0]}.${digits.slice(1)}e${zeros + digits.length - 1}`);
    }
  }
  return forms;
}
const id = idValue.chain((value) => fc.constantFrom(...idTexts(value)).map((text) => new Id(value, text)));

/** A documented timestamp: its text (any offset, either case, fractions, leap seconds) and its UTC form. */
class Stamp {
  constructor(
    readonly text: string,
    readonly utc: string,
  ) {}
}
const pad = (value: number, width = 2) => String(value).padStart(width, '0');
/** 0001-01-01 and 9998-12-31 in UTC: any offset keeps the local text within 0000 to 9999. */
const YEAR_1 = Date.parse('0001-01-01T00:00:00Z');
const YEAR_9998 = Date.parse('9998-12-31T00:00:00Z');
const stamp = fc
  .record({
    seconds: fc.integer({ min: YEAR_1 / 1000, max: YEAR_9998 / 1000 }),
    fraction: fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }),
    offset: fc.oneof(fc.constant(undefined), fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 })),
    lower: fc.boolean(),
    leap: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  })
  .map(({ seconds, fraction, offset, lower, leap }) => {
    const utcSeconds = leap ? seconds - (((seconds % 60) + 60) % 60) + 59 : seconds;
    const local = new Date((utcSeconds + (offset ?? 0) * 60) * 1000);
    const second = leap ? '60' : pad(local.getUTCSeconds());
    const zone =
      offset === undefined
        ? 'Z'
        : `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
    const text =
      `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
      `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${second}${fraction === undefined ? '' : `.${fraction}`}${zone}`;
    const millis = Number(`${fraction ?? ''}000`.slice(0, 3));
    const iso = new Date(utcSeconds * 1000 + millis).toISOString();
    return new Stamp(lower ? text.toLowerCase() : text, leap ? `${iso.slice(0, 17)}60${iso.slice(19)}` : iso);
  });

const text = fc.string({ maxLength: 12 });
const json = fc.jsonValue({ maxDepth: 2 });
const jsonObject = fc.dictionary(text, json, { maxKeys: 4 });
/** Extra fields, named so they never meet a documented one. */
const extras = fc.dictionary(
  text.map((key) => `x_${key}`),
  json,
  { maxKeys: 2 },
);

const status = fc.oneof(
  fc.constantFrom(...SESSION_STATUSES),
  fc
    .string({ minLength: 1, maxLength: 64 })
    .filter((s) => !(SESSION_STATUSES as readonly string[]).includes(s)),
);
const sender = fc.oneof(fc.constantFrom(...SIGNAL_SENDERS), text);

const connection = fc.record({
  driver: text,
  key: text,
  cluster: text,
  host: text,
  port: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  scheme: text,
  path: text,
});
const socket = fc.record({ connection, channel: text, event: text, auth_endpoint: text });

const TIMESTAMPS = [
  'claimed_at',
  'opened_at',
  'closed_at',
  'expires_at',
  'last_browser_heartbeat_at',
  'last_agent_heartbeat_at',
  'created_at',
  'updated_at',
] as const;
const maybeStamp = fc.option(stamp, { nil: null });

const session = fc
  .record({
    id,
    team_id: id,
    agent_id: id,
    requested_by_user_id: fc.option(id, { nil: null }),
    status,
    ...Object.fromEntries(TIMESTAMPS.map((name) => [name, maybeStamp])),
    meta: fc.oneof(fc.constant(null), fc.constant([]), jsonObject),
    socket: fc.option(socket, { nil: undefined }),
    extra: extras,
    socketExtra: extras,
  })
  .map(({ extra, socketExtra, socket: block, ...fields }) => ({
    ...fields,
    ...(block === undefined
      ? {}
      : { socket: { ...block, ...socketExtra, connection: { ...block.connection, ...socketExtra } } }),
    ...extra,
  })) as fc.Arbitrary<Record<string, unknown>>;

const signal = fc
  .record({
    id,
    team_id: id,
    agent_id: id,
    session_id: id,
    sender,
    type: text,
    payload: fc.oneof(fc.constant(null), jsonObject, fc.array(jsonObject, { maxLength: 3 })),
    created_at: maybeStamp,
    updated_at: maybeStamp,
    extra: extras,
  })
  .map(({ extra, ...fields }) => ({ ...fields, ...extra })) as fc.Arbitrary<Record<string, unknown>>;

/** The body's text: JSON, with each id written as the model says. */
function write(body: unknown): string {
  const ids: string[] = [];
  const textOf = JSON.stringify(body, (_key, value: unknown) => {
    if (value instanceof Id) return `\u0001${ids.push(value.text) - 1}`;
    if (value instanceof Stamp) return value.text;
    return value;
  });
  return textOf.replace(/"\\u0001(\d+)"/g, (_, index: string) => ids[Number(index)] ?? '');
}

/** What JSON.parse makes of a free-form value (meta, payload): numbers are doubles. */
const asRead = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
const known = <T extends string>(list: readonly T[], value: string) =>
  (list as readonly string[]).includes(value) ? value : 'unknown';
const idOf = (value: unknown) => (value as Id).value.toString();
const stampOf = (value: unknown) => (value === null ? null : (value as Stamp).utc);

function expectedSession(model: Record<string, unknown>): RealtimeSession {
  const block = model.socket as
    | { connection: Record<string, unknown>; channel: string; event: string; auth_endpoint: string }
    | undefined;
  const c = block?.connection;
  return {
    id: idOf(model.id),
    teamId: idOf(model.team_id),
    agentId: idOf(model.agent_id),
    requestedByUserId: model.requested_by_user_id === null ? null : idOf(model.requested_by_user_id),
    status: known(SESSION_STATUSES, model.status as string),
    upstreamStatus: model.status,
    claimedAt: stampOf(model.claimed_at),
    openedAt: stampOf(model.opened_at),
    closedAt: stampOf(model.closed_at),
    expiresAt: stampOf(model.expires_at),
    lastBrowserHeartbeatAt: stampOf(model.last_browser_heartbeat_at),
    lastAgentHeartbeatAt: stampOf(model.last_agent_heartbeat_at),
    meta: Array.isArray(model.meta) ? {} : asRead(model.meta),
    socket:
      block === undefined || c === undefined
        ? null
        : {
            connection: {
              driver: c.driver,
              key: c.key,
              cluster: c.cluster,
              host: c.host,
              port: c.port,
              scheme: c.scheme,
              path: c.path,
            },
            channel: block.channel,
            event: block.event,
            authEndpoint: block.auth_endpoint,
          },
    createdAt: stampOf(model.created_at),
    updatedAt: stampOf(model.updated_at),
  } as RealtimeSession;
}

function expectedSignal(model: Record<string, unknown>, of: RealtimeSession): RealtimeSignal {
  return {
    id: idOf(model.id),
    teamId: idOf(model.team_id),
    agentId: idOf(model.agent_id),
    sessionId: idOf(model.session_id),
    sender: known(SIGNAL_SENDERS, model.sender as string),
    upstreamSender: model.sender,
    type: model.type,
    payload: asRead(model.payload),
    createdAt: stampOf(model.created_at),
    updatedAt: stampOf(model.updated_at),
    session: of,
  } as RealtimeSignal;
}

/** Each reader: a valid answer's model, and the mapping the reader must give for it. */
interface Reader {
  name: string;
  parse: (json: unknown) => ParseResult<unknown>;
  body: fc.Arbitrary<Record<string, unknown>>;
  expected: (body: Record<string, unknown>) => unknown;
}
const byId = (a: { id: string }, b: { id: string }) => compareIds(a.id, b.id);

const READERS: Reader[] = [
  {
    name: 'listAgentRealtimeRequestedSessions',
    parse: parseRequestedSessions,
    body: fc
      .record({ data: fc.array(session, { maxLength: 4 }), extra: extras })
      .map(({ extra, ...b }) => ({ ...b, ...extra })),
    expected: (body) => (body.data as Record<string, unknown>[]).map(expectedSession),
  },
  {
    name: 'claimAgentRealtimeSession, closeAgentRealtimeSession',
    parse: parseSessionResponse,
    body: fc.record({ data: session, extra: extras }).map(({ extra, ...b }) => ({ ...b, ...extra })),
    expected: (body) => expectedSession(body.data as Record<string, unknown>),
  },
  {
    name: 'listAgentRealtimeSignals',
    parse: parseSignalList,
    body: fc
      .record({ data: fc.array(signal, { maxLength: 4 }), session, extra: extras })
      .map(({ extra, ...b }) => ({ ...b, ...extra })),
    expected: (body) => {
      const of = expectedSession(body.session as Record<string, unknown>);
      return {
        signals: (body.data as Record<string, unknown>[]).map((row) => expectedSignal(row, of)).sort(byId),
        session: of,
      };
    },
  },
  {
    name: 'createAgentRealtimeSignal',
    parse: parseCreatedSignal,
    body: fc.record({ data: signal, session, extra: extras }).map(({ extra, ...b }) => ({ ...b, ...extra })),
    expected: (body) =>
      expectedSignal(
        body.data as Record<string, unknown>,
        expectedSession(body.session as Record<string, unknown>),
      ),
  },
  {
    name: 'authenticateAgentRealtimeSocket, authenticateHostRealtimeSocket',
    parse: parseSocketAuthorization,
    body: fc.record({ auth: fc.string(), extra: extras }).map(({ extra, ...b }) => ({ ...b, ...extra })),
    expected: (body) => ({ auth: body.auth }),
  },
  {
    name: 'getAgentInstructions',
    parse: parseAgentIdentity,
    body: fc
      .record({
        agent: fc.record({ id: id.filter((value) => value.value >= 1n) }),
        bundle_version: text,
        files: fc.constant([]),
        extra: extras,
      })
      .map(({ extra, ...b }) => ({ ok: true, changed: true, ...b, ...extra })),
    expected: (body) => ({ id: idOf((body.agent as { id: Id }).id) }),
  },
];

/** What a field may be, so that a wrong value can be chosen for it. */
type Kind =
  | 'id'
  | 'nullableId'
  | 'positiveId'
  | 'stamp'
  | 'status'
  | 'string'
  | 'meta'
  | 'payload'
  | 'socket'
  | 'object'
  | 'port'
  | 'list'
  | 'sessionObject';
const WRONG: Record<Kind, unknown[]> = {
  id: ['42', 1.5, true, null, {}, []],
  nullableId: ['42', 1.5, false, {}],
  positiveId: ['42', 1.5, 0, -7, null],
  stamp: [1771780860, 'yesterday', '2026-02-30T00:00:00Z', '2026-02-22 17:21:00Z', {}, true],
  status: [null, '', 'x'.repeat(65), 3, []],
  string: [null, 5, {}, []],
  meta: ['x', 5, [1], true],
  payload: ['x', 5, [1], true],
  socket: [null, 'x', 5, []],
  object: [null, 'x', 5, []],
  port: ['443', 1.5, null, 2 ** 31, -(2 ** 31) - 1],
  list: [null, {}, 'x', 5],
  sessionObject: [null, [], 'x', 5],
};

/** One place a fault can go: the path the refusal must name, and the field's place in the body. */
interface Site {
  path: string;
  parent: (string | number)[];
  key: string;
  kind: Kind;
  required: boolean;
}

/** A copy of a generated body to break (the generated one stays as fast-check made it). */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (typeof value !== 'object' || value === null || value instanceof Id || value instanceof Stamp)
    return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, copy(child)]));
}
function at(body: unknown, keys: (string | number)[]): Record<string, unknown> {
  return keys.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], body) as Record<
    string,
    unknown
  >;
}

const SESSION_KINDS: Record<string, Kind> = {
  id: 'id',
  team_id: 'id',
  agent_id: 'id',
  requested_by_user_id: 'nullableId',
  status: 'status',
  meta: 'meta',
  ...Object.fromEntries(TIMESTAMPS.map((name) => [name, 'stamp' as Kind])),
};
const SIGNAL_KINDS: Record<string, Kind> = {
  id: 'id',
  team_id: 'id',
  agent_id: 'id',
  session_id: 'id',
  sender: 'string',
  type: 'string',
  payload: 'payload',
  created_at: 'stamp',
  updated_at: 'stamp',
};

function sessionSites(model: Record<string, unknown>, path: string, parent: (string | number)[]): Site[] {
  const sites: Site[] = Object.entries(SESSION_KINDS).map(([key, kind]) => ({
    path: `${path}.${key}`,
    parent,
    key,
    kind,
    required: true,
  }));
  if (model.socket === undefined) return sites;
  const block = [...parent, 'socket'];
  const c = [...block, 'connection'];
  sites.push({ path: `${path}.socket`, parent, key: 'socket', kind: 'socket', required: false });
  for (const key of ['channel', 'event', 'auth_endpoint'])
    sites.push({ path: `${path}.socket.${key}`, parent: block, key, kind: 'string', required: true });
  sites.push({
    path: `${path}.socket.connection`,
    parent: block,
    key: 'connection',
    kind: 'object',
    required: true,
  });
  for (const key of ['driver', 'key', 'cluster', 'host', 'scheme', 'path'])
    sites.push({ path: `${path}.socket.connection.${key}`, parent: c, key, kind: 'string', required: true });
  sites.push({
    path: `${path}.socket.connection.port`,
    parent: c,
    key: 'port',
    kind: 'port',
    required: true,
  });
  return sites;
}
const signalSites = (_model: Record<string, unknown>, path: string, parent: (string | number)[]): Site[] =>
  Object.entries(SIGNAL_KINDS).map(([key, kind]) => ({
    path: `${path}.${key}`,
    parent,
    key,
    kind,
    required: true,
  }));

/** Every place of `body` (an answer of `reader`) where one fault can go. */
function sitesOf(reader: Reader, body: Record<string, unknown>): Site[] {
  const rows = (list: unknown, each: typeof sessionSites) =>
    (list as Record<string, unknown>[]).flatMap((row, index) => each(row, `data[${index}]`, ['data', index]));
  const root = (key: string, kind: Kind): Site => ({ path: key, parent: [], key, kind, required: true });
  const one = (key: string, each: typeof sessionSites) =>
    each(body[key] as Record<string, unknown>, key, [key]);
  switch (reader.parse) {
    case parseRequestedSessions:
      return [root('data', 'list'), ...rows(body.data, sessionSites)];
    case parseSessionResponse:
      return [root('data', 'sessionObject'), ...one('data', sessionSites)];
    case parseSignalList:
      return [
        root('data', 'list'),
        root('session', 'sessionObject'),
        ...rows(body.data, signalSites),
        ...one('session', sessionSites),
      ];
    case parseCreatedSignal:
      return [
        root('data', 'sessionObject'),
        root('session', 'sessionObject'),
        ...one('data', signalSites),
        ...one('session', sessionSites),
      ];
    case parseSocketAuthorization:
      return [root('auth', 'string')];
    default: {
      return [
        root('agent', 'object'),
        { path: 'agent.id', parent: ['agent'], key: 'id', kind: 'positiveId', required: true },
      ];
    }
  }
}

describe.each(READERS.map((reader) => [reader.name, reader] as const))(
  'the reader of %s',
  (_name, reader) => {
    it(`maps ${RUNS} generated document-valid answers exactly`, () => {
      fc.assert(
        fc.property(reader.body, (body) => {
          const result = readPayload(write(body), reader.parse);
          expect(result).toEqual({ ok: true, value: reader.expected(body) });
        }),
        { numRuns: RUNS },
      );
    });

    it(`refuses ${RUNS} generated invalid answers with the path of the fault`, () => {
      const faulty = reader.body.chain((body) => {
        const sites = sitesOf(reader, body);
        return fc.record({
          body: fc.constant(body),
          site: fc.constantFrom(...sites),
          remove: fc.boolean(),
          wrong: fc.nat(),
        });
      });
      fc.assert(
        fc.property(faulty, ({ body, site, remove, wrong }) => {
          const broken = copy(body);
          const parent = at(broken, site.parent);
          const values = WRONG[site.kind];
          if (remove && site.required) delete parent[site.key];
          else parent[site.key] = values[wrong % values.length];
          const result = readPayload(write(broken), reader.parse);
          expect(result?.ok).toBe(false);
          expect(result?.ok === false && result.path).toBe(site.path);
        }),
        { numRuns: RUNS },
      );
    });
  },
);

describe('the scan that picks the lossless reading', () => {
  it(`finds a run of 16 digits exactly where a regular expression does, in ${RUNS} texts`, () => {
    const piece = fc.oneof(fc.stringMatching(/^\d{1,40}$/), fc.string({ maxLength: 20 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const body = pieces.join('');
        expect(hasLongDigitRun(body)).toBe(/\d{16}/.test(body));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('decimal ids, compared as the numbers they are', () => {
  const anyId = idValue;
  it(`compareIds orders ${RUNS} pairs as their integers`, () => {
    fc.assert(
      fc.property(anyId, anyId, (a, b) => {
        const expected = a < b ? -1 : a > b ? 1 : 0;
        expect(Math.sign(compareIds(a.toString(), b.toString()))).toBe(expected);
      }),
      { numRuns: RUNS },
    );
  });

  it('the live window serves every signal above a subscriber, in id order, whatever the ids', () => {
    fc.assert(
      fc.property(fc.uniqueArray(anyId, { minLength: 1, maxLength: 30 }), fc.nat(), (values, cut) => {
        const ids = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String);
        const row = (value: string) => ({ id: value }) as RealtimeSignal;
        const start = ids[0] ?? '0';
        const history = new SignalHistory(start, 1000);
        const rest = ids.slice(1);
        const half = Math.floor(rest.length / 2);
        history.extend(rest.slice(0, half).map(row), rest[half - 1] ?? start);
        history.extend(rest.map(row), rest.at(-1) ?? start);
        const from = ids[cut % ids.length] ?? start;
        expect(history.after(from)?.map((signal) => signal.id)).toEqual(
          ids.filter((value) => compareIds(value, from) > 0),
        );
        expect(history.cursor).toBe(ids.at(-1));
      }),
      { numRuns: 300 },
    );
  });
});
