import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's own id is kept when it is a short token; anything else is replaced, never echoed. */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

// State per request lives beside the request, not on it, and goes away with it.
const idByRequest = new WeakMap<Request, string>();

/** The request id given to this request (by the client, or made here). */
export function requestIdOf(request: Request): string | undefined {
  return idByRequest.get(request);
}

/**
 * Gives `request` its id: the client's `X-Request-Id` when it sent a usable one, else a new
 * UUID. The one way ids are given, to HTTP requests (`useRequestId`) and to each operation over
 * WebSocket alike.
 */
export function assignRequestId(request: Request): string {
  const sent = request.headers.get(REQUEST_ID_HEADER);
  const id = sent !== null && ACCEPTABLE_ID.test(sent) ? sent : randomUUID();
  idByRequest.set(request, id);
  return id;
}

/**
 * Gives every HTTP request an id (`assignRequestId`). It is returned in the response header, sent
 * upstream and written in the logs, so one request can be followed from the browser to AgentMC.
 */
export function useRequestId(): Plugin {
  return {
    onRequest({ request }) {
      assignRequestId(request);
    },
    onResponse({ request, response }) {
      const id = idByRequest.get(request);
      if (id !== undefined) response.headers.set(REQUEST_ID_HEADER, id);
    },
  };
}
