import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isWellFormedApiKey } from './credentials.js';

/*
 * The kinds of value an environment variable can hold, for `environmentSchema` (config.ts):
 * each problem says what was expected, never what was found (one of the values is a key).
 */

/** `what` names the expected value, e.g. "a port number" or "milliseconds". */
export const wholeNumber = (min: number, max: number, what: string, fallback: number) => {
  const expected = `expected ${what} from ${min} to ${max}`;
  return z.coerce
    .number({ error: expected })
    .int({ error: expected })
    .min(min, { error: expected })
    .max(max, { error: expected })
    .default(fallback);
};
export const milliseconds = (fallback: number) => wholeNumber(1, 600_000, 'milliseconds', fallback);

/** `true`/`false` (or 1/0, yes/no); unset means the default of the environment. */
export const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((value) => ['true', '1', 'yes'].includes(value))
  .optional();

/** A base URL such as `https://agentmc.ai/api/v1`: http(s), without query, fragment or credentials. */
export const apiBaseUrl = z
  .url({ protocol: /^https?$/, error: 'expected an http(s) URL such as https://agentmc.ai/api/v1' })
  .refine((value) => {
    // Refinements run even after the URL check failed, so parse without throwing.
    const url = URL.parse(value);
    return (
      url === null || (url.search === '' && url.hash === '' && url.username === '' && url.password === '')
    );
  }, 'expected a base URL without query, fragment or credentials');

/** A key as a caller could send it (`isWellFormedApiKey`). */
export const apiKey = z
  .string()
  .refine(isWellFormedApiKey, 'expected one token of 1 to 256 visible ASCII characters');

export const redisUrl = z.url({
  protocol: /^rediss?$/,
  error: 'expected a redis:// or rediss:// URL such as redis://127.0.0.1:6379',
});

/** `https://app.example.com`: scheme, host and port only. */
const isBareOrigin = (value: string) => {
  const url = URL.parse(value);
  return url !== null && /^https?:$/.test(url.protocol) && url.origin === value.replace(/\/$/, '');
};

/** Comma-separated origins, such as `https://app.example.com,https://admin.example.com`. */
export const originList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .refine((origins) => origins.every(isBareOrigin), {
    error: 'expected comma-separated origins such as https://app.example.com',
  });

/** The path of a persisted-documents manifest, read into a map of hash → document. */
export const trustedDocumentsFile = z.string().transform((path, context) => {
  const documents = readTrustedDocuments(path);
  if (typeof documents === 'string') {
    context.addIssue({ code: 'custom', message: documents });
    return z.NEVER;
  }
  return documents;
});

/** The manifest as a map, or a sentence saying why it cannot be used. */
function readTrustedDocuments(path: string): ReadonlyMap<string, string> | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return 'expected a readable JSON file of persisted documents';
  }
  const entries = parsed !== null && typeof parsed === 'object' ? Object.entries(parsed) : [];
  if (
    entries.length === 0 ||
    !entries.every(([hash, text]) => /^[\w:-]{8,128}$/.test(hash) && typeof text === 'string')
  ) {
    return 'expected an object mapping document hashes to GraphQL documents';
  }
  return new Map(entries as [string, string][]);
}
