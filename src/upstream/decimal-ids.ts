/*
 * Record ids as the gateway carries them: the decimal digits of the integer AgentMC sent, exactly
 * (the documents type every id as a plain `integer`, with no minimum or maximum, so an id may be
 * negative or beyond what a double holds). GraphQL `ID` serves them as they are; everything that
 * orders signals (the list's sort, `nextAfterId`, the live window and its cursors) compares them
 * with `compareIds`, never as numbers.
 */

/** An integer in canonical decimal form: `0`, `42`, `-7`; no sign on zero, no leading zeros. */
export type DecimalId = string;

const DECIMAL_ID = /^(?:0|-?[1-9]\d*)$/;

export function isDecimalId(text: string): text is DecimalId {
  return DECIMAL_ID.test(text);
}

/** Orders two canonical decimal integers numerically: negative, zero or positive, as `a - b`. */
export function compareIds(a: DecimalId, b: DecimalId): number {
  if (a === b) return 0;
  const negativeA = a.charCodeAt(0) === 45; // '-'
  const negativeB = b.charCodeAt(0) === 45;
  if (negativeA !== negativeB) return negativeA ? -1 : 1;
  // Same sign: the longer magnitude is the larger one; equal lengths compare digit by digit.
  const magnitude = a.length !== b.length ? a.length - b.length : a < b ? -1 : 1;
  return negativeA ? -magnitude : magnitude;
}

/** Whether `a` is a greater id than `b`. */
export const idAbove = (a: DecimalId, b: DecimalId): boolean => compareIds(a, b) > 0;

/** The greater of two ids. */
export const maxId = (a: DecimalId, b: DecimalId): DecimalId => (compareIds(a, b) >= 0 ? a : b);
