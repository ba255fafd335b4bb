import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { delayed, hang, json, raw, type Responder } from './support/fake-upstream.js';
import { useGateway } from './support/harness.js';
import { session } from './support/sessions.js';

const QUERY = '{ agent { requestedSessions(limit: 5) { id agentId } } }';
const harness = useGateway({ UPSTREAM_RETRY_ATTEMPTS: '1', BREAKER_MIN_CALLS: '10000' });

/** Answers slowly, with a session owned by a number taken from the key: mca_owner_<n>. */
const perKey: Responder = delayed(200, (response, request) => {
  const owner = Number(String(request.headers['x-api-key']).split('_').pop());
  json(200, { data: [{ ...session(owner), agent_id: owner }] })(response, request);
});

const ask = (key: string, query = QUERY) => harness.gateway.query(query, { headers: { 'x-api-key': key } });

describe('in-flight sharing across GraphQL requests', () => {
  it('concurrent requests with the same key and arguments cost one upstream call', async () => {
    harness.upstream.respondWith(perKey);

    const answers = await Promise.all(Array.from({ length: 20 }, () => ask('mca_owner_7')));

    expect(harness.upstream.requests).toHaveLength(1);
    for (const answer of answers) {
      expect(answer.body).toEqual({ data: { agent: { requestedSessions: [{ id: '7', agentId: '7' }] } } });
    }
  });

  it('different keys never share, even asking the same thing at the same time', async () => {
    harness.upstream.respondWith(perKey);

    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => ask(`mca_owner_${i}`)));

    expect(harness.upstream.requests).toHaveLength(10);
    answers.forEach((answer, i) =>
      expect(answer.body.data).toEqual({
        agent: { requestedSessions: [{ id: String(i), agentId: String(i) }] },
      }),
    );
  });

  it('different arguments never share', async () => {
    harness.upstream.respondWith(perKey);

    await Promise.all([
      ask('mca_owner_3', '{ agent { requestedSessions(limit: 1) { id } } }'),
      ask('mca_owner_3', '{ agent { requestedSessions(limit: 2) { id } } }'),
    ]);

    expect(harness.upstream.requests.map((request) => request.query.get('limit')).sort()).toEqual(['1', '2']);
  });

  it('keeps nothing once the call is done: the next request calls the upstream again', async () => {
    harness.upstream.respondWith(perKey);

    await ask('mca_owner_4');
    await ask('mca_owner_4');

    expect(harness.upstream.requests).toHaveLength(2);
  });

  it('shares a failure the same way: one call, the same code for everyone', async () => {
    harness.upstream.respondWith(delayed(100, raw(503, '')));

    const answers = await Promise.all(Array.from({ length: 5 }, () => ask('mca_owner_5')));

    expect(harness.upstream.requests).toHaveLength(1);
    expect(answers.map((answer) => answer.body.errors?.[0]?.extensions?.code)).toEqual(
      Array(5).fill('UPSTREAM_UNAVAILABLE'),
    );
  });

  it('one caller leaving does not abort the call the others wait for; the last one leaving does', async () => {
    harness.upstream.respondWith(delayed(300, perKey));
    const leaving = sendAndAbandon('mca_owner_6');
    const staying = ask('mca_owner_6');
    while (harness.upstream.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    leaving.abandon();

    expect((await staying).body.errors).toBeUndefined();
    expect(harness.upstream.requests).toHaveLength(1);
    expect(await harness.upstream.requests[0]?.abandoned).toBe(false);

    harness.upstream.requests.length = 0;
    harness.upstream.respondWith(hang);
    const first = sendAndAbandon('mca_owner_8');
    const second = sendAndAbandon('mca_owner_8');
    while (harness.upstream.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    first.abandon();
    second.abandon();

    expect(await harness.upstream.requests[0]?.abandoned).toBe(true);
  });
});

/** A request whose client can hang up before the answer. */
function sendAndAbandon(key: string): { abandon: () => void } {
  const client = httpRequest(harness.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
  });
  client.on('error', () => undefined);
  client.end(JSON.stringify({ query: QUERY }));
  return { abandon: () => client.destroy() };
}
