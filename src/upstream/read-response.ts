import type { Dispatcher } from 'undici';
import { badUpstreamResponse, errorFromUpstreamResponse } from '../errors.js';
import { readErrorEnvelope } from './error-envelope.js';
import { mayReadDifferentlyExactly, parseJsonBody } from './exact-json.js';
import type { ParseResult } from './payload-validator.js';
import { parseRetryAfter } from './retry-after.js';

/*
 * Reading one upstream answer: classified by status first, then its body read through the byte
 * cap, parsed as JSON only when it says it is JSON, and validated. Every outcome is the value or
 * one GatewayError; a body that will not be used is always consumed or discarded.
 */

/**
 * The value of a 200 answer, or the GatewayError of any other. `apiKey` is the caller's, so that
 * upstream text echoing it is never relayed; `maxBodyBytes` caps every body, error bodies too.
 */
export async function readResponse<T>(
  { statusCode: status, headers, body }: Dispatcher.ResponseData,
  apiKey: string,
  parse: (json: unknown) => ParseResult<T>,
  maxBodyBytes: number,
): Promise<T> {
  const requestId = safeRequestId(headers['x-request-id']);

  if (status >= 400) {
    const text = await readBody(body, status, maxBodyBytes).catch(() => undefined);
    const json = text !== undefined && isJson(headers) ? parseJson(text) : undefined;
    const envelope = readErrorEnvelope(json, apiKey);
    const error = errorFromUpstreamResponse({
      status,
      code: envelope.code,
      message: envelope.message,
      fields: envelope.fields,
      requestId,
      retryAfter: parseRetryAfter(firstHeader(headers['retry-after'])) ?? envelope.retryAfter,
    });
    // A documented 404 (an unknown agent or session) carries the API's envelope; the framework's
    // own "no such route" answer does not.
    error.routeMiss = status === 404 && envelope.code === undefined;
    throw error;
  }
  if (status !== 200) {
    discard(body);
    throw badUpstreamResponse(status < 300 ? 'unexpected status' : 'redirect', status, { requestId });
  }
  if (!isJson(headers)) {
    discard(body);
    throw badUpstreamResponse('unexpected content type', status, { requestId });
  }
  const declaredLength = Number(firstHeader(headers['content-length']));
  if (declaredLength > maxBodyBytes) {
    body.destroy();
    throw badUpstreamResponse('body too large', status, { requestId });
  }
  // A declared length is already within the cap, and undici holds the body to it: read it in one go.
  const text = Number.isFinite(declaredLength)
    ? await body.text()
    : await readBody(body, status, maxBodyBytes);
  if (text.length === 0) throw badUpstreamResponse('empty body', status, { requestId });
  const payload = readPayload(text, parse);
  if (payload === undefined) throw badUpstreamResponse('not JSON', status, { requestId });
  if (!payload.ok) {
    throw badUpstreamResponse('invalid shape', status, { path: payload.path, why: payload.why, requestId });
  }
  return payload.value;
}

/**
 * A 200 body's text through `parse`, its numbers read so that no id is changed (exact-json.ts);
 * undefined when it is not JSON. A refused body with an exponent in it is read again exactly
 * before it is refused: `9.007199254740993e15` is an id a double would have rounded.
 */
export function readPayload<T>(
  text: string,
  parse: (json: unknown) => ParseResult<T>,
): ParseResult<T> | undefined {
  const json = parseJsonBody(text);
  if (json === undefined) return undefined;
  const payload = parse(json);
  if (payload.ok || !mayReadDifferentlyExactly(text)) return payload;
  const exact = parseJsonBody(text, true);
  return exact === undefined ? payload : parse(exact);
}

/** Frees the connection without reading a body we will not use. */
export function discard(body: Dispatcher.ResponseData['body']): void {
  body.dump().catch(() => undefined);
}

/** Reads the body through a byte cap; a longer body is destroyed, never buffered whole. */
async function readBody(body: Dispatcher.ResponseData['body'], status: number, cap: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > cap) {
      body.destroy();
      throw badUpstreamResponse('body too large', status);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Only a short token: the upstream's request id is the one header we relay besides Retry-After. */
function safeRequestId(value: string | string[] | undefined): string | undefined {
  const id = firstHeader(value);
  return id !== undefined && /^[\w.:-]{1,128}$/.test(id) ? id : undefined;
}

function isJson(headers: Dispatcher.ResponseData['headers']): boolean {
  const mediaType = firstHeader(headers['content-type'])?.split(';')[0]?.trim().toLowerCase();
  return (
    mediaType !== undefined &&
    (mediaType === 'application/json' || /^application\/[\w.-]+\+json$/.test(mediaType))
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
