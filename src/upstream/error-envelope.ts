import { validator } from './payload-validator.js';

/*
 * What an upstream error answer may pass on to a client, and nothing more: the documented error
 * envelope (`ApiError`) read field by field, every upstream string screened for internals and for
 * the caller's own key before it can become part of a GraphQL error.
 */

const isErrorEnvelope = validator<{
  error: { code: string; message: string; details?: Record<string, unknown> | [] | null };
}>({
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        // PHP writes empty details as `[]`: read as none, as `meta: []` is read as `{}`.
        details: { anyOf: [{ type: 'object' }, { type: 'array', maxItems: 0 }, { type: 'null' }] },
      },
    },
  },
});

const isFieldErrors = validator<Record<string, string[]>>({
  type: 'object',
  additionalProperties: { type: 'array', items: { type: 'string' } },
});

const isRetryAfterDetail = validator<number | string>({
  anyOf: [
    { type: 'number', minimum: 0 },
    { type: 'string', pattern: '^\\d+$' },
  ],
});

/** What an error envelope (`{ error: { code, message, details } }`) says, made safe to show. */
export interface ErrorEnvelopeFacts {
  code?: string;
  message?: string;
  fields?: Record<string, string[]>;
  retryAfter?: number;
}

/**
 * Reads the documented error envelope. A body that is not one (HTML from a proxy, an empty
 * body, another JSON shape) gives no facts; the status alone still classifies the error.
 * Every string is screened by `safeUpstreamText`, with the caller's key, which is never echoed.
 */
export function readErrorEnvelope(json: unknown, apiKey: string): ErrorEnvelopeFacts {
  if (!isErrorEnvelope(json)) return {};
  const { code, message } = json.error;
  const details = Array.isArray(json.error.details) ? undefined : json.error.details;
  const facts: ErrorEnvelopeFacts = {};
  if (/^[A-Za-z0-9_.:-]{1,64}$/.test(code)) facts.code = code;
  const safeMessage = safeUpstreamText(message, apiKey);
  if (safeMessage !== undefined) facts.message = safeMessage;

  const fields = details?.fields;
  if (isFieldErrors(fields)) {
    const safeFields: Record<string, string[]> = {};
    for (const [name, messages] of Object.entries(fields).slice(0, 50)) {
      if (!/^[A-Za-z0-9_.[\]-]{1,100}$/.test(name)) continue;
      safeFields[name] = messages
        .slice(0, 10)
        .map((text) => safeUpstreamText(text, apiKey))
        .filter((text): text is string => text !== undefined);
    }
    facts.fields = safeFields;
  }
  const retryAfter = details?.retry_after;
  if (isRetryAfterDetail(retryAfter)) facts.retryAfter = Math.ceil(Number(retryAfter));
  return facts;
}

/**
 * Text that looks like it leaks internals (stack frames, file paths, SQL, HTML, addresses,
 * error codes of sockets) or the caller's key is withheld rather than relayed.
 */
const LEAKY_TEXT =
  /(?:\/[\w.-]+){2,}|[A-Za-z]:\\|\bat \S+ \(|\.(?:php|js|ts|py|rb|java):\d|SQLSTATE|\bselect\b.+\bfrom\b|exception|traceback|<[a-z!/]|\b\d{1,3}(?:\.\d{1,3}){3}\b|::1\b/i;
/** Socket error codes (ECONNRESET, EADDRINUSE): upper case only, so "expired" or "ended" pass. */
const SOCKET_ERROR_CODE = /\bE[A-Z]{4,}\b/;

export function safeUpstreamText(text: string, apiKey: string): string | undefined {
  if (text.length === 0 || text.length > 300) return undefined;
  if (/[\p{Cc}]/u.test(text)) return undefined;
  if (text.includes(apiKey) || LEAKY_TEXT.test(text) || SOCKET_ERROR_CODE.test(text)) return undefined;
  return text;
}
