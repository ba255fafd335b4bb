import { describe, expect, it } from 'vitest';
import { wireSession, wireSignal } from '../src/agentmc-wire.js';
import { brokenBody, json, routes, sequence } from './support/fake-upstream.js';
import { useGateway } from './support/harness.js';
import { sessionsPayload } from './support/sessions.js';

const headers = { 'x-api-key': 'mca_broken_answers' };
const SIGNALS_PATH = '/api/v1/agents/realtime/sessions/9/signals';
const signalsPage = { data: [wireSignal({ id: 1, session_id: 9 })], session: wireSession({ id: 9 }) };

describe('an idempotent read whose answer breaks off while its body is read', () => {
  const harness = useGateway({
    UPSTREAM_RETRY_BASE_MS: '5',
    UPSTREAM_RETRY_MAX_MS: '10',
    BREAKER_MIN_CALLS: '10000',
  });

  it('is retried like a reset before the answer: the requested list', async () => {
    harness.upstream.respondWith(sequence(brokenBody(200, sessionsPayload()), json(200, sessionsPayload())));

    const response = await harness.gateway.query('{ agent { requestedSessions { id } } }', { headers });

    expect(response.body).toEqual({ data: { agent: { requestedSessions: [{ id: '501' }, { id: '502' }] } } });
    expect(harness.upstream.requests).toHaveLength(2);
  });

  it('is retried like a reset before the answer: the signals list', async () => {
    harness.upstream.respondWith(
      routes({ [SIGNALS_PATH]: sequence(brokenBody(200, signalsPage), json(200, signalsPage)) }),
    );

    const response = await harness.gateway.query(
      '{ agent { realtimeSignals(sessionId: "9") { signals { id } } } }',
      { headers },
    );

    expect(response.body).toEqual({ data: { agent: { realtimeSignals: { signals: [{ id: '1' }] } } } });
    expect(harness.upstream.requests.map((request) => request.path)).toEqual([SIGNALS_PATH, SIGNALS_PATH]);
  });

  it('stops at the attempt budget: three broken answers are UPSTREAM_UNAVAILABLE', async () => {
    harness.upstream.respondWith(brokenBody(200, sessionsPayload()));

    const response = await harness.gateway.query('{ agent { requestedSessions { id } } }', { headers });

    expect(response.body.errors?.map((error) => error.extensions?.code)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(harness.upstream.requests).toHaveLength(3);
  });

  it('is retried once for all the waiters of one shared call', async () => {
    harness.upstream.respondWith(sequence(brokenBody(200, sessionsPayload()), json(200, sessionsPayload())));

    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        harness.gateway.query('{ agent { requestedSessions { id } } }', { headers }),
      ),
    );

    for (const answer of answers) expect(answer.body.errors).toBeUndefined();
    // One shared call: its first attempt broke, its one retry answered all five.
    expect(harness.upstream.requests).toHaveLength(2);
  });

  it('a mutation whose answer breaks off is not sent again, and its outcome is UNKNOWN', async () => {
    harness.upstream.respondWith(
      routes({
        [SIGNALS_PATH]: brokenBody(200, {
          data: wireSignal({ id: 2, session_id: 9 }),
          session: wireSession({ id: 9 }),
        }),
      }),
    );

    const response = await harness.gateway.query(
      'mutation { sendRealtimeSignal(sessionId: "9", type: "message") { id } }',
      { headers },
    );

    expect(response.body.errors?.map((error) => error.extensions)).toEqual([
      { code: 'UPSTREAM_UNAVAILABLE', outcome: 'UNKNOWN' },
    ]);
    expect(harness.upstream.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
  });
});
