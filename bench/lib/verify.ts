/*
 * Before anything is timed: every target must give a right answer, and every GraphQL target the
 * same answer as our gateway. A fast wrong answer is not a result, so a difference aborts the run.
 */
import { isDeepStrictEqual } from 'node:util';
import { requestHeaders, verifyKey } from './requests.js';
import type { Workload } from './workloads.js';

export interface Answer {
  readonly target: string;
  readonly status: number;
  readonly json: unknown;
}

export class VerificationError extends Error {
  override name = 'VerificationError';
}

export async function fetchAnswer(target: string, workload: Workload): Promise<Answer> {
  const response = await fetch(workload.url, {
    method: workload.method,
    headers: { ...requestHeaders(workload), 'x-api-key': verifyKey(workload.keyKind) },
    ...(workload.body === undefined ? {} : { body: workload.body }),
  });
  const text = await response.text();
  try {
    return { target, status: response.status, json: JSON.parse(text) as unknown };
  } catch {
    throw new VerificationError(`${target} (${workload.label}): answer is not JSON: ${text.slice(0, 300)}`);
  }
}

/** The first path at which two JSON values differ, e.g. `data.agent.requestedSessions[3].claimedAt`. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const next = Array.isArray(a) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      const difference = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        next,
      );
      if (difference) return difference;
    }
    // Every member equal, yet not deep-equal (e.g. an array against an object): say where.
    return `${path || '(root)'}: ${Array.isArray(a) ? 'list' : 'object'} vs ${Array.isArray(b) ? 'list' : 'object'}`;
  }
  return `${path || '(root)'}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

/** One answer: HTTP 200 and what the workload expects. Throws a VerificationError otherwise. */
export async function verifyOne(target: string, workload: Workload): Promise<Answer> {
  const answer = await fetchAnswer(target, workload);
  const problem =
    answer.status === 200
      ? workload.check(answer.json)
      : `HTTP ${answer.status}: ${JSON.stringify(answer.json)}`;
  if (problem) throw new VerificationError(`${target} (${workload.label}): ${problem.slice(0, 600)}`);
  return answer;
}

/** Each answer must equal the reference (the first one: our gateway when it is measured). */
export function verifySame(answers: readonly Answer[]): void {
  const [reference, ...others] = answers;
  if (!reference) return;
  for (const answer of others) {
    const difference = firstDifference(reference.json, answer.json);
    if (difference) {
      throw new VerificationError(
        `${answer.target} answers differently from ${reference.target} at ${difference.slice(0, 600)}`,
      );
    }
  }
}
