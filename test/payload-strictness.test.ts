// Over 250 lines: the audit is one table, one row per place the gateway reads, each row asserted; it reads best whole.
import { describe, expect, it } from 'vitest';
import { readErrorEnvelope } from '../src/upstream/error-envelope.js';
import {
  parseCreatedSignal,
  parseSessionResponse,
  parseSignalList,
  parseSocketAuthorization,
} from '../src/upstream/lifecycle-payloads.js';
import type { RealtimeSession, RealtimeSignal } from '../src/upstream/models.js';
import { validator, type ParseResult } from '../src/upstream/payload-validator.js';
import { parseAgentIdentity, parseRequestedSessions } from '../src/upstream/payloads.js';
import { readPayload } from '../src/upstream/read-response.js';
import { raw } from './support/fake-upstream.js';
import { useGateway } from './support/harness.js';
import { byRoute, getsTo, script, wirePath } from './support/lifecycle.js';

/*
 * Where the gateway's checks of a 200 answer differ from the AgentMC OpenAPI documents (both
 * generations: their response schemas are the same), one row per place: the operations, the
 * field, what the documents allow, what the gateway does, and why it is kept or how it was fixed.
 * Every row is asserted by feeding answers, as text, to the reader the gateway uses
 * (`readPayload`, the same path as a live answer). What the documents allow maps to a GraphQL
 * value; what they do not is refused with the field's path (UPSTREAM_BAD_RESPONSE).
 *
 * The documents, for the record (AgentRealtimeSession, AgentRealtimeSignal, and the answers
 * `{data: Session[]}`, `{data: Session}`, `{data: Signal[], session}`, `{data: Signal, session}`,
 * `{auth}`, AgentInstructionsResponse, ApiError): every id an `integer` with no minimum or maximum
 * (`agent.id` of the instructions: minimum 1); `status` an enum of six, `sender` of three;
 * timestamps `string`, `format: date-time`, nullable; `meta` and `payload` objects, nullable, any
 * properties; `socket` optional, not nullable, `connection` {driver, key, cluster, host,
 * port: integer, scheme, path} and channel, event, auth_endpoint, all required strings; `auth` a
 * string; no schema forbids extra properties.
 */

type Fields = Record<string, string | undefined>;

/** An object's JSON text from fields given as JSON texts (undefined: the field is left out). */
const object = (fields: Fields) =>
  `{${Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${JSON.stringify(key)}:${value}`)
    .join(',')}}`;

const SESSION: Fields = {
  id: '501',
  team_id: '12',
  agent_id: '77',
  requested_by_user_id: '9',
  status: '"requested"',
  claimed_at: 'null',
  opened_at: 'null',
  closed_at: 'null',
  expires_at: 'null',
  last_browser_heartbeat_at: 'null',
  last_agent_heartbeat_at: 'null',
  meta: 'null',
  created_at: '"2026-02-22T17:21:00Z"',
  updated_at: 'null',
};
const SIGNAL: Fields = {
  id: '3',
  team_id: '12',
  agent_id: '77',
  session_id: '501',
  sender: '"agent"',
  type: '"message"',
  payload: 'null',
  created_at: 'null',
  updated_at: 'null',
};
const CONNECTION: Fields = {
  driver: '"reverb"',
  key: '"app-key"',
  cluster: '"eu"',
  host: '"ws.agentmc.example"',
  port: '443',
  scheme: '"https"',
  path: '"/app"',
};
const socket = (connection: Fields = {}, rest: Fields = {}) =>
  object({
    connection: object({ ...CONNECTION, ...connection }),
    channel: '"private-realtime-session.501"',
    event: '"realtime.signal"',
    auth_endpoint: '"https://agentmc.example/broadcasting/auth"',
    ...rest,
  });
const session = (fields: Fields = {}) => object({ ...SESSION, ...fields });
const signal = (fields: Fields = {}) => object({ ...SIGNAL, ...fields });

const ok = <T>(result: ParseResult<T> | undefined): T => {
  if (result === undefined || !result.ok) throw new Error(`refused: ${JSON.stringify(result)}`);
  return result.value;
};

/** Every answer that carries a session, with where the session sits in it. */
const SESSION_PLACES = [
  {
    operations: 'listAgentRealtimeRequestedSessions',
    prefix: 'data[0].',
    read: (text: string) => readPayload(`{"data":[${text}]}`, parseRequestedSessions),
    pick: (value: RealtimeSession[]) => value[0],
  },
  {
    operations: 'claimAgentRealtimeSession, closeAgentRealtimeSession',
    prefix: 'data.',
    read: (text: string) => readPayload(`{"data":${text}}`, parseSessionResponse),
    pick: (value: RealtimeSession) => value,
  },
  {
    operations: 'listAgentRealtimeSignals',
    prefix: 'session.',
    read: (text: string) => readPayload(`{"data":[${signal()}],"session":${text}}`, parseSignalList),
    pick: (value: { session: RealtimeSession }) => value.session,
  },
  {
    operations: 'createAgentRealtimeSignal',
    prefix: 'session.',
    read: (text: string) => readPayload(`{"data":${signal()},"session":${text}}`, parseCreatedSignal),
    pick: (value: RealtimeSignal) => value.session,
  },
] as const;

/** Every answer that carries a signal. */
const SIGNAL_PLACES = [
  {
    operations: 'listAgentRealtimeSignals',
    prefix: 'data[0].',
    read: (text: string) => readPayload(`{"data":[${text}],"session":${session()}}`, parseSignalList),
    pick: (value: { signals: RealtimeSignal[] }) => value.signals[0],
  },
  {
    operations: 'createAgentRealtimeSignal',
    prefix: 'data.',
    read: (text: string) => readPayload(`{"data":${text},"session":${session()}}`, parseCreatedSignal),
    pick: (value: RealtimeSignal) => value,
  },
] as const;

function readSession(place: (typeof SESSION_PLACES)[number], fields: Fields) {
  const result = place.read(session(fields));
  return result?.ok
    ? { ok: true as const, value: (place.pick as (v: unknown) => RealtimeSession)(result.value) }
    : result;
}
function readSignal(place: (typeof SIGNAL_PLACES)[number], fields: Fields) {
  const result = place.read(signal(fields));
  return result?.ok
    ? { ok: true as const, value: (place.pick as (v: unknown) => RealtimeSignal)(result.value) }
    : result;
}

const instructions = (agent: string) =>
  `{"ok":true,"changed":true,"bundle_version":"b","generated_at":"2026-02-25T14:10:00Z","defaults":{"heartbeat_interval_seconds":300},"agent":${agent},"files":[]}`;

/** A field's accepted texts (with what they map to) and refused ones (with the path's tail and why). */
interface Row {
  operations: string;
  path: string;
  document: string;
  gateway: string;
  verdict: `matches${string}` | `looser: ${string}` | `kept: ${string}` | `fixed: ${string}`;
  assert: () => void;
}

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
const camel = (name: string) => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

function sessionField(
  field: string,
  accepted: [string, unknown][],
  refused: [string, string?][],
): () => void {
  return () => {
    for (const place of SESSION_PLACES) {
      for (const [text, value] of accepted) {
        expect(
          ok(readSession(place, { [field]: text }))[camel(field) as keyof RealtimeSession],
          `${place.operations} ${field}: ${text}`,
        ).toEqual(value);
      }
      for (const [text, why] of refused) {
        const expected =
          why === undefined
            ? { ok: false, path: `${place.prefix}${field}` }
            : { ok: false, path: `${place.prefix}${field}`, why };
        expect(readSession(place, { [field]: text }), `${place.operations} ${field}: ${text}`).toEqual(
          expected,
        );
      }
    }
  };
}

function signalField(field: string, accepted: [string, unknown][], refused: [string, string?][]): () => void {
  return () => {
    for (const place of SIGNAL_PLACES) {
      for (const [text, value] of accepted) {
        expect(
          ok(readSignal(place, { [field]: text }))[camel(field) as keyof RealtimeSignal],
          `${place.operations} ${field}: ${text}`,
        ).toEqual(value);
      }
      for (const [text, why] of refused) {
        const expected =
          why === undefined
            ? { ok: false, path: `${place.prefix}${field}` }
            : { ok: false, path: `${place.prefix}${field}`, why };
        expect(readSignal(place, { [field]: text }), `${place.operations} ${field}: ${text}`).toEqual(
          expected,
        );
      }
    }
  };
}

const INEXACT = 'not an integer, though a double would round it to one';
const ID_ACCEPTED: [string, string][] = [
  ['-5', '-5'],
  ['0', '0'],
  ['9007199254740991', '9007199254740991'],
  ['9007199254740993', '9007199254740993'],
  ['-9223372036854775809', '-9223372036854775809'],
  ['123456789012345678901234567890', '123456789012345678901234567890'],
  ['9.007199254740993e15', '9007199254740993'],
  ['1e20', '100000000000000000000'],
  ['42.0', '42'],
];
const ID_REFUSED: [string, string?][] = [
  ['"42"'],
  ['1.5'],
  ['true'],
  ['{}'],
  ['1.0000000000000001', INEXACT],
  ['1e2000', 'an integer of more than 1000 zeros written with an exponent'],
];

const ROWS: Row[] = [
  {
    operations: 'every session answer (requested list, claim, close, signals list, signal create)',
    path: 'id, team_id, agent_id',
    document: 'integer, no minimum or maximum',
    gateway:
      'any integer, served as its decimal string (GraphQL ID), exactly: beyond 2^53 read from the body text',
    verdict:
      'fixed: was 0..2^53-1 (a negative id failed the whole list); an inexact number is refused saying why',
    assert: () => {
      for (const field of ['id', 'team_id', 'agent_id'])
        sessionField(field, ID_ACCEPTED, [...ID_REFUSED, ['null']])();
    },
  },
  {
    operations: 'every session answer',
    path: 'requested_by_user_id',
    document: 'integer, nullable, no minimum or maximum',
    gateway: 'null, or any integer as its decimal string',
    verdict: 'fixed: was 0..2^53-1',
    assert: sessionField('requested_by_user_id', [...ID_ACCEPTED, ['null', null]], ID_REFUSED),
  },
  {
    operations: 'listAgentRealtimeSignals, createAgentRealtimeSignal',
    path: 'data(.[i]).id, team_id, agent_id, session_id',
    document: 'integer, no minimum or maximum',
    gateway: 'any integer as its decimal string; the list is put in id order comparing decimal strings',
    verdict: 'fixed: was 0..2^53-1',
    assert: () => {
      for (const field of ['id', 'team_id', 'agent_id', 'session_id'])
        signalField(field, ID_ACCEPTED, [...ID_REFUSED, ['null']])();
    },
  },
  {
    operations: 'getAgentInstructions (agents generation)',
    path: 'agent.id',
    document: 'integer, minimum 1',
    gateway: 'any integer of at least 1, as its decimal string',
    verdict: 'matches (the documented minimum); fixed: was at most 2^53-1',
    assert: () => {
      expect(ok(readPayload(instructions('{"id":77}'), parseAgentIdentity))).toEqual({ id: '77' });
      expect(ok(readPayload(instructions('{"id":18446744073709551617}'), parseAgentIdentity))).toEqual({
        id: '18446744073709551617',
      });
      for (const id of ['0', '-1', '-18446744073709551617']) {
        expect(readPayload(instructions(`{"id":${id}}`), parseAgentIdentity)).toEqual({
          ok: false,
          path: 'agent.id',
          why: 'below the documented minimum of 1',
        });
      }
      expect(readPayload(instructions('{"id":"77"}'), parseAgentIdentity)).toEqual({
        ok: false,
        path: 'agent.id',
      });
      expect(readPayload(instructions('{}'), parseAgentIdentity)).toEqual({ ok: false, path: 'agent.id' });
    },
  },
  {
    operations: 'getAgentInstructions',
    path: 'ok, changed, bundle_version, generated_at, defaults, files',
    document: 'required, typed',
    gateway: 'not read, so not checked',
    verdict: 'looser: the gateway reads only the agent id',
    assert: () => {
      expect(ok(readPayload('{"agent":{"id":5}}', parseAgentIdentity))).toEqual({ id: '5' });
    },
  },
  {
    operations: 'every session answer',
    path: 'status',
    document: 'enum requested, claimed, active, closed, failed, expired',
    gateway:
      'the six as RealtimeSessionStatus; any other string of 1 to 64 characters as UNKNOWN, with upstreamStatus carrying it',
    verdict:
      'looser: a status added later does not fail the list; "" and over 64 characters (in no enum) are refused',
    assert: () => {
      sessionField(
        'status',
        [
          ['"active"', 'active'],
          ['"paused"', 'unknown'],
          [JSON.stringify('x'.repeat(64)), 'unknown'],
        ],
        [['""'], [JSON.stringify('x'.repeat(65))], ['null'], ['3']],
      )();
      expect(ok(readSession(SESSION_PLACES[0], { status: '"paused"' })).upstreamStatus).toBe('paused');
    },
  },
  {
    operations: 'listAgentRealtimeSignals, createAgentRealtimeSignal',
    path: 'sender',
    document: 'enum agent, browser, system',
    gateway:
      'the three as RealtimeSignalSender; any other string as UNKNOWN, with upstreamSender carrying it',
    verdict: 'looser: a sender added later does not fail the page',
    assert: () => {
      signalField(
        'sender',
        [
          ['"browser"', 'browser'],
          ['"robot"', 'unknown'],
          ['""', 'unknown'],
        ],
        [['null'], ['1']],
      )();
      expect(ok(readSignal(SIGNAL_PLACES[0], { sender: '"robot"' })).upstreamSender).toBe('robot');
    },
  },
  {
    operations: 'listAgentRealtimeSignals, createAgentRealtimeSignal',
    path: 'type',
    document: 'string',
    gateway: 'any string',
    verdict: 'matches',
    assert: signalField(
      'type',
      [
        ['"message"', 'message'],
        ['""', ''],
        ['"Ünïcode ✓"', 'Ünïcode ✓'],
      ],
      [['null'], ['5']],
    ),
  },
  {
    operations: 'every session and signal answer',
    path: 'claimed_at, opened_at, closed_at, expires_at, last_browser_heartbeat_at, last_agent_heartbeat_at, created_at, updated_at (signals: created_at, updated_at)',
    document: 'string, format date-time (RFC 3339), nullable',
    gateway: 'RFC 3339 with real calendar dates and any offset, served in UTC with milliseconds (DateTime)',
    verdict:
      'fixed: lower-case t and z and a leap second (:60) were refused; kept: an instant outside the years 0000-9999 in UTC is refused saying why (no RFC 3339 UTC text for it), and digits below the millisecond are dropped (DateTime is served to the millisecond)',
    assert: () => {
      const accepted: [string, unknown][] = [
        ['null', null],
        ['"2026-02-22T17:21:00Z"', '2026-02-22T17:21:00.000Z'],
        ['"2026-02-22t17:21:00z"', '2026-02-22T17:21:00.000Z'],
        ['"2026-02-22T17:21:00.123456+05:30"', '2026-02-22T11:51:00.123Z'],
        ['"2024-02-29T00:00:00-00:00"', '2024-02-29T00:00:00.000Z'],
        ['"2016-12-31T23:59:60Z"', '2016-12-31T23:59:60.000Z'],
        ['"2017-01-01T00:59:60.5+01:00"', '2016-12-31T23:59:60.500Z'],
        ['"0000-01-01T00:00:00Z"', '0000-01-01T00:00:00.000Z'],
        ['"9999-12-31T23:59:59+01:00"', '9999-12-31T22:59:59.000Z'],
      ];
      const refused: [string, string?][] = [
        ['"yesterday"'],
        ['"2026-02-30T00:00:00Z"'],
        ['"2023-02-29T00:00:00Z"'],
        ['"2026-02-22 17:21:00Z"'],
        ['"2026-02-22T17:21:00"'],
        ['"2026-02-22T24:00:00Z"'],
        ['1771780860'],
        ['"9999-12-31T23:59:59-01:00"', 'an instant outside the years 0000 to 9999 in UTC'],
        ['"0000-01-01T00:00:00+00:01"', 'an instant outside the years 0000 to 9999 in UTC'],
      ];
      for (const field of TIMESTAMPS) sessionField(field, accepted, refused)();
      for (const field of ['created_at', 'updated_at']) signalField(field, accepted, refused)();
    },
  },
  {
    operations: 'every session answer',
    path: 'meta',
    document: 'object, nullable, any properties',
    gateway: 'an object (JSONObject) or null; [] read as {}',
    verdict: 'looser: PHP writes an empty map as []; other arrays and scalars are refused',
    assert: sessionField(
      'meta',
      [
        ['null', null],
        ['{}', {}],
        ['[]', {}],
        ['{"a":{"b":[1,"x",null]}}', { a: { b: [1, 'x', null] } }],
      ],
      [['"x"'], ['1'], ['[1]'], ['[{}]'], ['true']],
    ),
  },
  {
    operations: 'listAgentRealtimeSignals, createAgentRealtimeSignal',
    path: 'payload',
    document: 'object, nullable, any properties',
    gateway: 'an object, an array of objects, or null (JSON)',
    verdict: 'looser: the create operation takes an array of objects, which a server may echo back',
    assert: signalField(
      'payload',
      [
        ['null', null],
        ['{"k":"v"}', { k: 'v' }],
        ['[{"a":1},{}]', [{ a: 1 }, {}]],
        ['[]', []],
      ],
      [['"x"'], ['[1]'], ['5'], ['[{}, "x"]']],
    ),
  },
  {
    operations: 'every session answer',
    path: 'socket',
    document: 'optional, not nullable; connection, channel, event, auth_endpoint required',
    gateway: 'absent: socket null; present: every documented key required',
    verdict: 'matches (socket: null and a socket missing a key are refused, as the document says)',
    assert: () => {
      for (const place of SESSION_PLACES) {
        expect(ok(readSession(place, {})).socket).toBeNull();
        expect(ok(readSession(place, { socket: socket() })).socket).toEqual({
          connection: {
            driver: 'reverb',
            key: 'app-key',
            cluster: 'eu',
            host: 'ws.agentmc.example',
            port: 443,
            scheme: 'https',
            path: '/app',
          },
          channel: 'private-realtime-session.501',
          event: 'realtime.signal',
          authEndpoint: 'https://agentmc.example/broadcasting/auth',
        });
        expect(readSession(place, { socket: 'null' })).toEqual({ ok: false, path: `${place.prefix}socket` });
        for (const key of ['connection', 'channel', 'event', 'auth_endpoint']) {
          expect(readSession(place, { socket: socket({}, { [key]: undefined }) })).toEqual({
            ok: false,
            path: `${place.prefix}socket.${key}`,
          });
        }
        for (const key of Object.keys(CONNECTION)) {
          expect(readSession(place, { socket: socket({ [key]: undefined }) })).toEqual({
            ok: false,
            path: `${place.prefix}socket.connection.${key}`,
          });
        }
      }
    },
  },
  {
    operations: 'every session answer',
    path: 'socket.connection.driver, key, cluster, host, scheme, path; socket.channel, event, auth_endpoint',
    document: 'string',
    gateway: 'any string, empty included',
    verdict: 'matches',
    assert: () => {
      const place = SESSION_PLACES[0];
      expect(
        ok(readSession(place, { socket: socket({ host: '""' }, { channel: '""' }) })).socket,
      ).toMatchObject({ connection: { host: '' }, channel: '' });
      expect(readSession(place, { socket: socket({ key: '1' }) })).toEqual({
        ok: false,
        path: 'data[0].socket.connection.key',
      });
      expect(readSession(place, { socket: socket({}, { event: 'null' }) })).toEqual({
        ok: false,
        path: 'data[0].socket.event',
      });
    },
  },
  {
    operations: 'every session answer',
    path: 'socket.connection.port',
    document: 'integer, no minimum or maximum',
    gateway: 'any integer GraphQL Int holds (-2^31..2^31-1), served as Int',
    verdict:
      'fixed: was 0..65535; kept: beyond 32 bits is refused saying why (no GraphQL Int can carry it, and a port is no id to serve as a string)',
    assert: () => {
      const place = SESSION_PLACES[0];
      for (const port of [0, 443, 70000, -1, 2147483647, -2147483648]) {
        expect(
          ok(readSession(place, { socket: socket({ port: String(port) }) })).socket?.connection.port,
        ).toBe(port);
      }
      const beyond = 'an integer beyond GraphQL Int (32 bits)';
      for (const port of ['2147483648', '-2147483649', '18446744073709551616']) {
        expect(readSession(place, { socket: socket({ port }) })).toEqual({
          ok: false,
          path: 'data[0].socket.connection.port',
          why: beyond,
        });
      }
      for (const port of ['"443"', '443.5', 'null']) {
        expect(readSession(place, { socket: socket({ port }) })).toEqual({
          ok: false,
          path: 'data[0].socket.connection.port',
        });
      }
    },
  },
  {
    operations: 'authenticateAgentRealtimeSocket, authenticateHostRealtimeSocket (hosts generation)',
    path: 'auth',
    document: 'string, required',
    gateway: 'any string, empty included',
    verdict: 'fixed: an empty auth was refused; the socket server, not the gateway, judges a signature',
    assert: () => {
      expect(ok(readPayload('{"auth":"app-key:abc123"}', parseSocketAuthorization))).toEqual({
        auth: 'app-key:abc123',
      });
      expect(ok(readPayload('{"auth":""}', parseSocketAuthorization))).toEqual({ auth: '' });
      expect(readPayload('{"auth":null}', parseSocketAuthorization)).toEqual({ ok: false, path: 'auth' });
      expect(readPayload('{"auth":5}', parseSocketAuthorization)).toEqual({ ok: false, path: 'auth' });
      expect(readPayload('{}', parseSocketAuthorization)).toEqual({ ok: false, path: 'auth' });
    },
  },
  {
    operations: 'every operation',
    path: 'the envelope: data, data[i], session',
    document: 'required: data (an array, or one object), session on the signals answers',
    gateway: 'required, with the documented type',
    verdict: 'matches',
    assert: () => {
      expect(readPayload('{}', parseRequestedSessions)).toEqual({ ok: false, path: 'data' });
      expect(readPayload('{"data":{}}', parseRequestedSessions)).toEqual({ ok: false, path: 'data' });
      expect(readPayload('{"data":[1]}', parseRequestedSessions)).toEqual({ ok: false, path: 'data[0]' });
      expect(ok(readPayload('{"data":[]}', parseRequestedSessions))).toEqual([]);
      expect(readPayload(`{"data":[]}`, parseSignalList)).toEqual({ ok: false, path: 'session' });
      expect(readPayload(`{"data":${signal()}}`, parseCreatedSignal)).toEqual({ ok: false, path: 'session' });
      expect(readPayload(`{"session":${session()}}`, parseSessionResponse)).toEqual({
        ok: false,
        path: 'data',
      });
      expect(readPayload('[]', parseSocketAuthorization)).toEqual({ ok: false, path: '' });
    },
  },
  {
    operations: 'every operation',
    path: 'any object of any answer',
    document: 'no schema sets additionalProperties: false',
    gateway: 'extra fields ignored (and not served)',
    verdict: 'matches',
    assert: () => {
      const extra = { extra: '{"x":[1,2,3]}', id_v2: '"x"' };
      const body = `{"data":[${session({ ...extra, socket: socket(extra, extra) })}],"links":{},"meta":{"total":1}}`;
      const [read] = ok(readPayload(body, parseRequestedSessions));
      expect(Object.keys(read ?? {})).not.toContain('extra');
      expect(Object.keys(read?.socket?.connection ?? {}).sort()).toEqual(Object.keys(CONNECTION).sort());
      expect(
        ok(
          readPayload(`{"data":[${signal(extra)}],"session":${session(extra)},"next":null}`, parseSignalList),
        ).signals[0],
      ).not.toHaveProperty('extra');
      expect(ok(readPayload('{"auth":"a:b","channel_data":"{}"}', parseSocketAuthorization))).toEqual({
        auth: 'a:b',
      });
    },
  },
  {
    operations: 'every operation',
    path: 'the body text',
    document: 'application/json',
    gateway:
      'native JSON.parse; a body with 16 or more digits in a row (or refused with an exponent in it) read again losslessly, so ids stay exact; numbers inside meta and payload are JSON numbers (doubles) either way; duplicate keys: the last wins either way',
    verdict: 'matches (JSON.parse semantics)',
    assert: () => {
      const [fast] = ok(
        readPayload(`{"data":[${session({ id: '1', meta: '{"a":1,"a":2}' })}]}`, parseRequestedSessions),
      );
      const [exact] = ok(
        readPayload(
          `{"data":[${session({ id: '12345678901234567890', meta: '{"a":1,"a":2,"n":12345678901234567890}' })}]}`,
          parseRequestedSessions,
        ),
      );
      expect(fast?.meta).toEqual({ a: 2 });
      expect(exact?.meta).toEqual({ a: 2, n: 12345678901234567890 });
      expect(exact?.id).toBe('12345678901234567890');
      expect(readPayload('{"data":[', parseRequestedSessions)).toBeUndefined();
      expect(readPayload('{"data":[], "x": 12345678901234567890', parseRequestedSessions)).toBeUndefined();
    },
  },
  {
    operations: 'every operation, status 4xx/5xx',
    path: 'ApiError: error.code, error.message, error.details',
    document: '{ error: { code: string, message: string, details?: object|null } }',
    gateway:
      'read field by field; a body that is no envelope gives no facts (the status alone classifies the error); a code outside [A-Za-z0-9_.:-]{1,64} and a message that looks like internals or echoes the key are not relayed',
    verdict:
      "kept: upstream text reaches clients only once screened; fixed: details: [] (PHP's empty map) made the whole envelope unreadable",
    assert: () => {
      const read = (body: unknown) => readErrorEnvelope(body, 'mca_key');
      expect(
        read({ error: { code: 'realtime.session_ended', message: 'The session has ended.', details: [] } }),
      ).toEqual({ code: 'realtime.session_ended', message: 'The session has ended.' });
      expect(
        read({
          error: {
            code: 'validation.failed',
            message: 'Validation failed.',
            details: { fields: { limit: ['Too big.'] } },
          },
        }),
      ).toEqual({
        code: 'validation.failed',
        message: 'Validation failed.',
        fields: { limit: ['Too big.'] },
      });
      expect(read({ error: { code: 'x y', message: 'See /var/www/app.php:12' } })).toEqual({});
      expect(read({ message: 'not an envelope' })).toEqual({});
    },
  },
];

describe('where the gateway reads an answer differently from the documents: one row per place', () => {
  it('every row names its place, the two readings, and a verdict', () => {
    for (const row of ROWS) {
      for (const column of [row.operations, row.path, row.document, row.gateway, row.verdict])
        expect(column.length).toBeGreaterThan(0);
    }
    // The ids were the one place stricter than the documents without a reason: none is left.
    expect(ROWS.filter((row) => row.verdict.startsWith('kept') && /\bid\b/.test(row.path))).toEqual([]);
  });

  it.each(ROWS.map((row) => [`${row.path} (${row.operations})`, row] as const))('%s', (_place, row) => {
    row.assert();
  });
});

describe('ids beyond a double and below zero, served through GraphQL', () => {
  const harness = useGateway({ AGENTMC_API_GENERATION: 'agents' });
  const headers = { 'x-api-key': 'mca_payload_strictness_key' };
  const JSON_TYPE = { 'content-type': 'application/json' };

  it('requestedSessions serves every id digit for digit', async () => {
    const body = `{"data":[${session({ id: '18446744073709551617', team_id: '-4', agent_id: '9007199254740993', requested_by_user_id: '-9223372036854775809' })}]}`;
    script(
      harness.upstream,
      byRoute({ [`GET /api/v1/agents/realtime/sessions/requested`]: raw(200, body, JSON_TYPE) }),
    );
    const response = await harness.gateway.query(
      '{ agent { requestedSessions { id teamId agentId requestedByUserId team { id } } } }',
      { headers },
    );
    expect(response.body).toEqual({
      data: {
        agent: {
          requestedSessions: [
            {
              id: '18446744073709551617',
              teamId: '-4',
              agentId: '9007199254740993',
              requestedByUserId: '-9223372036854775809',
              team: { id: '-4' },
            },
          ],
        },
      },
    });
  });

  it('realtimeSignals orders by the decimal ids and pages on from them exactly', async () => {
    const ids = ['9007199254740995', '9007199254740993', '10', '-3', '9007199254740994'];
    const body = `{"data":[${ids.map((id) => signal({ id, session_id: '41' })).join(',')}],"session":${session({ id: '41', status: '"active"' })}}`;
    const path = wirePath('agents', 'listAgentRealtimeSignals', 41);
    script(harness.upstream, byRoute({ [`GET ${path}`]: raw(200, body, JSON_TYPE) }));
    const response = await harness.gateway.query(
      '{ agent { realtimeSignals(sessionId: "41", afterId: "9007199254740992", limit: 5) { signals { id } nextAfterId hasMore } } }',
      { headers },
    );
    expect(response.body.data).toEqual({
      agent: {
        realtimeSignals: {
          signals: ['-3', '10', '9007199254740993', '9007199254740994', '9007199254740995'].map((id) => ({
            id,
          })),
          nextAfterId: '9007199254740995',
          hasMore: true,
        },
      },
    });
    expect(getsTo(harness.upstream, path)[0]?.query.get('after_id')).toBe('9007199254740992');
  });

  it('an id no double holds, written so that it is not an integer, is UPSTREAM_BAD_RESPONSE saying where and why', async () => {
    const body = `{"data":[${session({ id: '12345678901234567.5' })}]}`;
    script(
      harness.upstream,
      byRoute({ [`GET /api/v1/agents/realtime/sessions/requested`]: raw(200, body, JSON_TYPE) }),
    );
    const response = await harness.gateway.query('{ agent { requestedSessions { id } } }', { headers });
    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
      reason: 'invalid shape',
    });
    expect(response.body.errors?.[0]?.message).toContain(`at data[0].id (${INEXACT}).`);
  });
});

describe('the validators’ own schemas', () => {
  // Compiled on first use, without the meta-schema (a tenth of the start-up): strict mode still
  // refuses these, at their first check.
  it.each([
    ['a misspelt keyword', { type: 'object', requried: ['data'] }],
    ['an unknown type', { type: 'strng' }],
    ['a keyword of ours with the wrong kind of value', { dateTime: 'yes' }],
  ])('refuses %s when it is compiled', (_name, schema) => {
    expect(() => validator(schema)({})).toThrow();
  });
  it('compiles a schema once, on its first check, and reports that check’s errors', () => {
    const isNamed = validator<{ name: string }>({
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' } },
    });
    expect(isNamed.errors).toBeUndefined();
    expect(isNamed({ name: 1 })).toBe(false);
    expect(isNamed.errors?.[0]?.instancePath).toBe('/name');
    expect(isNamed({ name: 'a' })).toBe(true);
    expect(isNamed.errors).toBeNull();
  });
});
