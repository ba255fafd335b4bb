/**
 * A typed agent runtime in a few lines: claims a requested session, follows its signals over
 * graphql-ws, sends one message, waits for the browser's answer, then closes the session.
 *
 *   AGENTMC_API_KEY=cc_... AGENT_ID=42 SESSION_ID=1002 npx tsx examples/session-lifecycle.ts
 *   AGENTMC_API_KEY=mca_... SESSION_ID=1002 npx tsx examples/session-lifecycle.ts    # an agent key
 *
 * `GATEWAY_URL` defaults to http://localhost:4000/graphql; `OWNER_TOKEN` (a host key's claims need
 * one) defaults to `example-runtime-<AGENT_ID or "agent">`. Walkthrough: docs/session-lifecycle.md.
 * The documents and their types come from `examples/operations/*.graphql` through `npm run codegen`.
 */
import { print } from 'graphql';
import { ClientError, GraphQLClient } from 'graphql-request';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  ClaimSessionDocument,
  CloseSessionDocument,
  LiveSignalsDocument,
  SendSignalDocument,
  type LiveSignalsSubscription,
} from './generated/graphql.js';

const url = process.env.GATEWAY_URL ?? 'http://localhost:4000/graphql';
const apiKey = process.env.AGENTMC_API_KEY;
const sessionId = process.env.SESSION_ID;
if (!apiKey || !sessionId) {
  console.error('Set AGENTMC_API_KEY and SESSION_ID (and AGENT_ID with a host key).');
  process.exit(2);
}
const agentId = process.env.AGENT_ID || undefined;
const ownerToken = process.env.OWNER_TOKEN ?? `example-runtime-${agentId ?? 'agent'}`;

const http = new GraphQLClient(url, { headers: { 'X-Api-Key': apiKey } });
const ws = createClient({
  url: url.replace(/^http/, 'ws'),
  webSocketImpl: WebSocket,
  connectionParams: { 'X-Api-Key': apiKey },
  retryAttempts: 0,
});

try {
  // Idempotent per owner token: running this again after a lost answer claims nothing twice.
  const { claimRealtimeSession: claimed } = await http.request(ClaimSessionDocument, {
    sessionId,
    ownerToken,
    agentId,
  });
  console.log(`claimed #${claimed.id}: ${claimed.status}`);
  // A retried claim answers the session as it is now: it may have ended since.
  if (claimed.status !== 'CLAIMED' && claimed.status !== 'ACTIVE') {
    throw new Error(`session #${claimed.id} is ${claimed.status}: nothing to do`);
  }

  // Every signal of the session from its first (no afterId), so the order of these two steps does
  // not matter: the signal sent below arrives on the subscription too.
  const signals = ws.iterate<LiveSignalsSubscription>({
    query: print(LiveSignalsDocument),
    variables: { sessionId, agentId },
  });
  // `payload` as a whole variable (JSON), never as variables inside a literal.
  const { sendRealtimeSignal: sent } = await http.request(SendSignalDocument, {
    sessionId,
    agentId,
    type: 'message',
    payload: { type: 'chat.agent', payload: { text: 'Hello from the example runtime.' } },
  });
  console.log(`sent #${sent.id}; session ${sent.session.status}`);

  for await (const { data, errors } of signals) {
    if (errors)
      throw new Error(errors.map((error) => `${error.extensions?.code}: ${error.message}`).join('\n'));
    const signal = data?.realtimeSignalAdded;
    if (!signal) continue;
    console.log(
      `signal #${signal.id} from ${signal.sender}: ${signal.type} ${JSON.stringify(signal.payload)}`,
    );
    // The browser's answer to ours: done. The stream ends once the session is closed.
    if (signal.sender === 'BROWSER' && Number(signal.id) > Number(sent.id)) {
      const { closeRealtimeSession: closed } = await http.request(CloseSessionDocument, {
        sessionId,
        agentId,
        reason: 'example finished',
      });
      console.log(`closed #${closed.id}: ${closed.status}`);
    }
  }
  console.log('the subscription ended with the session');
} catch (error) {
  // GraphQL errors carry the gateway's `extensions.code`; `outcome: "UNKNOWN"` on a mutation means
  // it may have taken effect: read the session or its signals before sending it again.
  if (error instanceof ClientError && error.response.errors?.length) {
    for (const { message, extensions } of error.response.errors) {
      const outcome = extensions?.outcome ? ` (outcome ${String(extensions.outcome)})` : '';
      console.error(`${extensions?.code}${outcome}: ${message}`);
    }
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exitCode = 1;
} finally {
  await ws.dispose();
}
