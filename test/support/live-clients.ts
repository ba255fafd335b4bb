import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface LiveEvent {
  data?: { requestedSessionsChanged: Record<string, unknown> | null } | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface LiveStream {
  /** Events received so far, in order. */
  events: LiveEvent[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Waits until at least `count` events arrived. */
  next(count: number): Promise<LiveEvent[]>;
  close(): void;
}

function collector(): {
  events: LiveEvent[];
  push(event: LiveEvent): void;
  next(count: number): Promise<LiveEvent[]>;
} {
  const events: LiveEvent[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  return {
    events,
    push(event) {
      events.push(event);
      for (const waiter of waiters.filter((candidate) => events.length >= candidate.count)) waiter.resolve();
    },
    next(count) {
      if (events.length >= count) return Promise.resolve(events);
      return new Promise((resolve) => waiters.push({ count, resolve: () => resolve(events) }));
    },
  };
}

/** A GraphQL-over-SSE client: POST with Accept: text/event-stream, reading `next` events. */
export function subscribeOverSse(url: URL, query: string, headers: Record<string, string>): LiveStream {
  const { events, push, next } = collector();
  const controller = new AbortController();
  const ended = (async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
      body: JSON.stringify({ query }),
      signal: controller.signal,
    });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let boundary = buffer.indexOf('\n\n');
      while (boundary !== -1) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .join('\n');
        if (/^event: ?complete/m.test(block)) return;
        if (data) push(JSON.parse(data) as LiveEvent);
        boundary = buffer.indexOf('\n\n');
      }
    }
  })().catch((error: unknown) => {
    if (!controller.signal.aborted) throw error;
  });
  return { events, ended, next, close: () => controller.abort() };
}

/** A graphql-ws client, the key in the connection parameters. */
export function subscribeOverWebSocket(
  url: URL,
  query: string,
  apiKey?: string,
): LiveStream & { client: Client } {
  const { events, push, next } = collector();
  const client = createClient({
    url: url.href.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: apiKey === undefined ? {} : { 'X-Api-Key': apiKey },
    retryAttempts: 0,
  });
  let dispose = () => undefined as void;
  const ended = new Promise<void>((resolve, reject) => {
    dispose = client.subscribe<Record<string, unknown>>(
      { query },
      {
        next: (event) => push(event as LiveEvent),
        error: (error) => (Array.isArray(error) ? (push({ errors: error }), resolve()) : reject(error)),
        complete: () => resolve(),
      },
    );
  });
  return {
    events,
    ended,
    next,
    client,
    close: () => {
      dispose();
      void client.dispose();
    },
  };
}
