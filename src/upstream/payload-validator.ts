import {
  _,
  Ajv,
  type Code,
  type ErrorObject,
  type KeywordCxt,
  type Name,
  type SchemaObject,
  type ValidateFunction,
} from 'ajv';
import type { DecimalId } from './decimal-ids.js';
import { ExactInteger, InexactNumber } from './exact-json.js';
import type { UtcTimestamp } from './models.js';

/*
 * The one validator every payload reader compiles its schemas with: ajv, and the keywords of our
 * own that the documents need (ids of any size read exactly, GraphQL Int, RFC 3339 instants the
 * DateTime scalar can serve), and how a refusal names its field and why.
 */

/**
 * RFC 3339 `date-time` with real calendar dates (leap years included), any offset, `T` and `Z` in
 * either case (RFC 3339 §5.6) and a leap second (`:60`). A timestamp that passes is one `Date`
 * reads the same way once upper-cased and with a leap second read as `:59`, which
 * `toUtcTimestamp` relies on.
 */
const RFC3339_DATE_TIME =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|02-(?:0[1-9]|1\d|2[0-8])))[Tt](?:[01]\d|2[0-3]):[0-5]\d:(?:[0-5]\d|60)(?:\.\d+)?(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/*
 * ajv compiles each schema once into a plain function that checks a parsed body in place: about
 * five times faster than zod here, with no allocation per field (zod's allocations were a
 * quarter of the gateway's garbage). Unknown fields are ignored; `toRealtimeSession` picks.
 */
const ajv = new Ajv({
  // Our schemas are constants: checking each against JSON Schema's meta-schema meant compiling
  // that meta-schema at every start, a tenth of the time to the first answer. Strict mode (ajv's
  // default) still refuses an unknown keyword or type while compiling; the tests run every validator.
  validateSchema: false,
});

/** A compiled check of one schema: a type guard, and the errors of its last refusal. */
export interface Validator<T> {
  (data: unknown): data is T;
  readonly errors?: ErrorObject[] | null;
}

/**
 * `schema`'s validator, compiled by ajv when it is first called rather than at start: a process
 * that never claims a session or meets an upstream error never compiles those (compiling all of
 * them at start took about a twentieth of the time to the first answer).
 */
export function validator<T>(schema: SchemaObject): Validator<T> {
  let compiled: ValidateFunction<T> | undefined;
  const check = (data: unknown): data is T => {
    compiled ??= ajv.compile<T>(schema);
    return compiled(data);
  };
  return Object.defineProperty(check, 'errors', { get: () => compiled?.errors }) as Validator<T>;
}

/** Our keywords' checks: true when the value passes, false or why it does not. */
const checks = new Map<string, (data: unknown, schema: never) => boolean | string>();

/**
 * A keyword of our own, checked inline by the compiled validator through `check` (one call, no
 * allocation); on a failure `failure` asks `check` again for why, when it has more to say than
 * the path (a text instead of false).
 */
function addCheck<Schema>(
  keyword: string,
  schemaType: 'boolean' | 'string',
  check: (data: unknown, schema: Schema) => boolean | string,
  /** What passes without a call, as code over the data (the common case: a small id, a null). */
  fastPass?: (data: Name, schema: Schema) => Code,
): void {
  checks.set(keyword, check as (data: unknown, schema: never) => boolean | string);
  const passes = (data: unknown, schema: Schema): boolean => check(data, schema) === true;
  ajv.addKeyword({
    keyword,
    schemaType,
    code(cxt: KeywordCxt) {
      const test = cxt.gen.scopeValue('keyword', { ref: passes });
      const slow = _`!${test}(${cxt.data}, ${cxt.schemaValue})`;
      const schema = cxt.schema as Schema;
      cxt.fail(fastPass === undefined ? slow : _`!(${fastPass(cxt.data, schema)}) && ${slow}`);
    },
    error: { message: `must pass ${keyword}`, params: ({ schemaCode }) => _`{schema: ${schemaCode}}` },
  });
}

/**
 * `recordId`: an integer, any sign and any size (the documents give ids no minimum or maximum):
 * a double that holds it exactly, or an `ExactInteger` read from the body text. `'nullable'` also
 * takes null; `'positive'` adds the minimum of 1 that `AgentInstructionsResponse.agent.id` documents.
 */
addCheck<'any' | 'nullable' | 'positive'>(
  'recordId',
  'string',
  (data, kind) => {
    if (data === null) return kind === 'nullable';
    if (typeof data === 'number') {
      if (!Number.isInteger(data)) return false;
      // Only a number written with an exponent gets here beyond 2^53 (see exact-json.ts).
      if (!Number.isSafeInteger(data)) return 'an integer beyond 2^53 - 1 that was not read exactly';
      return kind !== 'positive' || data >= 1 ? true : 'below the documented minimum of 1';
    }
    if (data instanceof ExactInteger) {
      return kind !== 'positive' || !data.decimal.startsWith('-')
        ? true
        : 'below the documented minimum of 1';
    }
    if (data instanceof InexactNumber) return data.why;
    return false;
  },
  // A safe integer (of at least 1 for 'positive') passes inline.
  (data, kind) =>
    _`typeof ${data} == "number" && Number.isSafeInteger(${data})${kind === 'positive' ? _` && ${data} >= 1` : _``}`,
);

/** GraphQL `Int`: what a documented `integer` that is no id (the socket's `port`) is served as. */
const GRAPHQL_INT = { min: -(2 ** 31), max: 2 ** 31 - 1 } as const;
addCheck<boolean>('graphqlInt', 'boolean', (data) => {
  if (typeof data === 'number' && Number.isInteger(data)) {
    return (data >= GRAPHQL_INT.min && data <= GRAPHQL_INT.max) || 'an integer beyond GraphQL Int (32 bits)';
  }
  if (data instanceof ExactInteger) return 'an integer beyond GraphQL Int (32 bits)';
  if (data instanceof InexactNumber) return data.why;
  return false;
});

/**
 * `dateTime`: null or an RFC 3339 date-time that is an instant of the years 0000 to 9999 in UTC,
 * which the `DateTime` scalar serves (a document-valid `9999-12-31T23:59:59-01:00` is not).
 */
addCheck<boolean>(
  'dateTime',
  'boolean',
  (data) => {
    if (data === null) return true;
    if (typeof data !== 'string' || !RFC3339_DATE_TIME.test(data)) return false;
    // Only the first and the last year can leave the range once moved to UTC.
    if (!data.startsWith('0000-') && !data.startsWith('9999-')) return true;
    return /^\d{4}-/.test(toUtcTimestamp(data)) || 'an instant outside the years 0000 to 9999 in UTC';
  },
  (data) => _`${data} === null`,
);

export const recordId = { recordId: 'any' } as const;
export const timestamp = { dateTime: true } as const;

/** An id the `recordId` keyword accepted: a safe integer, or one read exactly from the text. */
export type PayloadId = number | ExactInteger;

/** The decimal string of an id the validator accepted, exactly as the body wrote it. */
export function idText(id: PayloadId): DecimalId {
  return typeof id === 'number' ? String(id) : id.decimal;
}

/**
 * Normalises a timestamp the validator accepted (RFC 3339, real calendar dates, any offset) once,
 * here, so serving it costs nothing: responses carry twenty sessions of eight timestamps, and
 * formatting Dates while writing them tripled the cost of serialising a response. The API's own
 * form, whole seconds in UTC, is completed by hand; anything else goes through Date.
 */
export function toUtcTimestamp(timestamp: string): UtcTimestamp;
export function toUtcTimestamp(timestamp: string | null): UtcTimestamp | null;
export function toUtcTimestamp(timestamp: string | null): UtcTimestamp | null {
  if (timestamp === null) return null;
  if (timestamp.length === 20 && timestamp.endsWith('Z') && timestamp.charCodeAt(10) === 84 /* T */)
    return `${timestamp.slice(0, 19)}.000Z` as UtcTimestamp;
  const upper = timestamp.toUpperCase();
  // A leap second: Date reads none, so the instant is read at :59 and written back at :60.
  if (upper.slice(17, 19) !== '60') return new Date(upper).toISOString() as UtcTimestamp;
  const utc = new Date(`${upper.slice(0, 17)}59${upper.slice(19)}`).toISOString();
  return `${utc.slice(0, 17)}60${utc.slice(19)}` as UtcTimestamp;
}

/** `why`: what is wrong at `path` when its type alone does not say (an id read inexactly). */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; path: string; why?: string };

/** The refusal of the last validation of `json`: where, and why when our keyword says more. */
export function failure(
  validate: Validator<unknown>,
  json: unknown,
): { ok: false; path: string; why?: string } {
  const path = failurePath(validate);
  const error: ErrorObject | undefined = validate.errors?.[0];
  const check = error === undefined ? undefined : checks.get(error.keyword);
  if (error === undefined || check === undefined) return { ok: false, path };
  const value = error.instancePath
    .split('/')
    .slice(1)
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], json);
  const why = check(value, error.params.schema as never);
  return typeof why === 'string' ? { ok: false, path, why } : { ok: false, path };
}

/**
 * `data[3].status`, from the first error of the last validation: built from our schema's keys
 * and the body's indexes only, never from upstream text (an unknown key is not named).
 */
export function failurePath(validate: Validator<unknown>): string {
  const error: ErrorObject | undefined = validate.errors?.[0];
  if (!error) return '';
  const parts = error.instancePath.split('/').slice(1);
  if (error.keyword === 'required') parts.push(String(error.params.missingProperty));
  return parts
    .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : `${index === 0 ? '' : '.'}${part}`))
    .join('');
}
