import { LIFECYCLE_LIMITS, SIGNALS_DEFAULT_LIMIT, SIGNALS_LIMIT } from '../agentmc-wire.js';
import { argumentOutOfRange, invalidArgument } from '../errors.js';
import type { GatewayContext } from '../context.js';

/*
 * The arguments of the session lifecycle, checked against the limits of the API's document before
 * any call: what AgentMC would refuse with a 422 is refused here, naming the argument. Ids arrive
 * as `ID` strings and stay decimal strings.
 */

const POSITIVE_ID = /^[1-9]\d{0,18}$/;
const CURSOR_ID = /^(?:0|[1-9]\d{0,18})$/;

/** A record id (session, agent): a positive integer. */
export function checkedId(value: string, argumentName: string): string {
  if (!POSITIVE_ID.test(value))
    throw invalidArgument(argumentName, 'must be a positive integer such as "42"');
  return value;
}

/** `afterId`: "id greater than", so 0 is the start. */
export function checkedCursor(value: string | null | undefined, argumentName: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (!CURSOR_ID.test(value)) throw invalidArgument(argumentName, 'must be an integer of at least 0');
  return value;
}

export const SIGNALS_PAGE_DEFAULT = SIGNALS_DEFAULT_LIMIT;

export function checkedSignalsLimit(limit: number | null | undefined): number {
  const value = limit ?? SIGNALS_PAGE_DEFAULT;
  if (value < SIGNALS_LIMIT.min || value > SIGNALS_LIMIT.max) {
    throw argumentOutOfRange('limit', value, SIGNALS_LIMIT.min, SIGNALS_LIMIT.max);
  }
  return value;
}

function checkedText(
  value: string,
  argumentName: string,
  { minLength = 1, maxLength, pattern }: { minLength?: number; maxLength: number; pattern?: RegExp },
  what: string,
): string {
  if (
    value.length < minLength ||
    value.length > maxLength ||
    (pattern !== undefined && !pattern.test(value))
  ) {
    throw invalidArgument(argumentName, `must be ${what}`);
  }
  return value;
}

export const checkedSignalType = (value: string) =>
  checkedText(
    value,
    'type',
    LIFECYCLE_LIMITS.signalType,
    '1 to 64 of a-z, 0-9, "_", ".", ":" and "-" (any case)',
  );

export const checkedOwnerToken = (value: string) =>
  checkedText(
    value,
    'ownerToken',
    LIFECYCLE_LIMITS.ownerToken,
    '16 to 128 of a-z, 0-9, ":", "_" and "-" (any case)',
  );

export const checkedReason = (value: string) =>
  checkedText(value, 'reason', { minLength: 0, ...LIFECYCLE_LIMITS.reason }, 'at most 500 characters');

export const checkedSocketId = (value: string) =>
  checkedText(
    value,
    'socketId',
    LIFECYCLE_LIMITS.socketId,
    'a socket id such as "123.456" (at most 100 characters)',
  );

export const checkedChannelName = (value: string) =>
  checkedText(value, 'channelName', LIFECYCLE_LIMITS.channelName, '1 to 190 characters');

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A signal's `payload` as the API takes it: null, an object or an array of objects, at most
 * `maxBytes` serialised (UTF-8): larger payloads are refused, never split behind the caller's back.
 */
export function checkedPayload(value: unknown, maxBytes: number): unknown {
  if (value === null || value === undefined) return value;
  if (!isObject(value) && !(Array.isArray(value) && value.every(isObject))) {
    throw invalidArgument('payload', 'must be null, an object or an array of objects');
  }
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > maxBytes) {
    throw invalidArgument(
      'payload',
      `must be at most ${maxBytes} bytes serialised (it is ${bytes}); send it as several signals`,
    );
  }
  return value;
}

/** The payload limit of this gateway (`REALTIME_MAX_PAYLOAD_BYTES`). */
export const maxPayloadBytes = (context: GatewayContext) => context.limits.maxPayloadBytes;
