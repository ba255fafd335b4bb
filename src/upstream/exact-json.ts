import { parse as parseLossless, splitNumber } from 'lossless-json';
import type { DecimalId } from './decimal-ids.js';

/*
 * Reading an answer's JSON without changing a number the validators will take as an id. The
 * native `JSON.parse` reads every number as a double, which holds every integer up to 2^53 − 1
 * exactly; an answer with a longer run of digits (16 or more, the only way to write a larger
 * integer without an exponent) is read by lossless-json instead, which hands each number over as
 * the text it was written as, so the integers beyond a double's reach stay exact (`ExactInteger`).
 * The hot path (ids of a few digits) pays a scan of one character in 16 (`hasLongDigitRun`); a
 * refused answer with an exponent in it is read again losslessly (`mayReadDifferentlyExactly`).
 *
 * Numbers that are not ids (inside `meta` and `payload`) are served as JSON numbers, i.e. as
 * doubles, the same whichever way the body was read: `plainJson` turns them back.
 */

/** An integer beyond ±(2^53 − 1), exactly as the body wrote it, in canonical decimal form. */
export class ExactInteger {
  constructor(readonly decimal: DecimalId) {}
}

/**
 * A number no double reads as written, that is not an integer the gateway can hold exactly: a
 * fraction that a double rounds to an integer (`1.0000000000000001`), or an integer with an
 * exponent too large to write out. `value` is what `JSON.parse` would have made of it.
 */
export class InexactNumber {
  constructor(
    readonly value: number,
    readonly why: string,
  ) {}
}

/**
 * Whether `text` has 16 or more digits in a row: what only an integer too large for a double (or
 * a fraction longer than one holds) needs. Any such run covers one of every 16th character, so
 * only those are looked at, and the digits around the ones that are: a fraction of a regular
 * expression's time on the hot path, where no run is that long.
 */
export function hasLongDigitRun(text: string): boolean {
  for (let at = 15; at < text.length; at += 16) {
    if (!isDigit(text.charCodeAt(at))) continue;
    let start = at;
    while (start > 0 && isDigit(text.charCodeAt(start - 1))) start -= 1;
    let end = at + 1;
    while (end < text.length && isDigit(text.charCodeAt(end))) end += 1;
    if (end - start >= 16) return true;
  }
  return false;
}

const isDigit = (code: number) => code >= 48 && code <= 57;
/** A number written with an exponent, which `JSON.parse` may have rounded too. */
const EXPONENT = /\d[eE][+-]?\d/;

/** Zeros an exponent may add to an integer's digits: `1e1000` is the largest id read exactly. */
const MAX_EXPONENT_ZEROS = 1000;

/** Containers (objects, arrays) holding an `ExactInteger` or `InexactNumber` at any depth. */
const holdsMarkers = new WeakSet<object>();

/**
 * The body's JSON, or undefined when it is not JSON. `exact` forces the lossless reading; without
 * it, only a body with a run of 16 or more digits is read losslessly.
 */
export function parseJsonBody(text: string, exact = hasLongDigitRun(text)): unknown {
  try {
    if (!exact) return JSON.parse(text) as unknown;
    const json = parseLossless(text, null, {
      parseNumber: readNumber,
      // As JSON.parse: the last of duplicate keys wins.
      onDuplicateKey: ({ newValue }) => newValue,
    });
    markContainers(json);
    return json;
  } catch {
    return undefined;
  }
}

/**
 * Whether a body read the fast way might read differently exactly: it has a number with an
 * exponent, which a double may round (`9.007199254740993e15`). An answer that fails validation
 * and says yes is read again losslessly before it is refused.
 */
export function mayReadDifferentlyExactly(text: string): boolean {
  return EXPONENT.test(text) && !hasLongDigitRun(text);
}

/** One number of a losslessly read body, from its text. */
function readNumber(text: string): number | ExactInteger | InexactNumber {
  const value = Number(text);
  // Plain integer literals: a safe double is exact; anything longer is kept as written.
  if (/^-?\d+$/.test(text)) {
    return Number.isSafeInteger(value) ? value : new ExactInteger(text === '-0' ? '0' : text);
  }
  const { sign, digits, exponent } = splitNumber(text);
  const zeros = exponent - (digits.length - 1);
  if (zeros >= 0) {
    if (digits === '0') return 0;
    if (zeros > MAX_EXPONENT_ZEROS) {
      return new InexactNumber(
        value,
        `an integer of more than ${MAX_EXPONENT_ZEROS} zeros written with an exponent`,
      );
    }
    const decimal = `${sign}${digits}${'0'.repeat(zeros)}`;
    return Number.isSafeInteger(value) ? value : new ExactInteger(decimal);
  }
  // Not an integer. A double that reads it as one (or as infinity) would pass for an integer.
  if (Number.isInteger(value) || !Number.isFinite(value)) {
    return new InexactNumber(value, 'not an integer, though a double would round it to one');
  }
  return value;
}

function isMarker(value: unknown): value is ExactInteger | InexactNumber {
  return value instanceof ExactInteger || value instanceof InexactNumber;
}

/** Marks every container that holds a marker; true when `value` is or holds one. */
function markContainers(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (isMarker(value)) return true;
  let holds = false;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    if (markContainers(child)) holds = true;
  }
  if (holds) holdsMarkers.add(value);
  return holds;
}

/**
 * `value` as `JSON.parse` would have read it: every `ExactInteger` and `InexactNumber` in it made
 * a double again. Free for a value that holds none (every value of a body read the fast way).
 */
export function plainJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof ExactInteger) return Number(value.decimal) as T;
  if (value instanceof InexactNumber) return value.value as T;
  if (!holdsMarkers.has(value)) return value;
  if (Array.isArray(value)) return value.map(plainJson) as T;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    // `__proto__` stays an own property, as JSON.parse makes it.
    Object.defineProperty(copy, key, {
      value: plainJson(child),
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return copy as T;
}
