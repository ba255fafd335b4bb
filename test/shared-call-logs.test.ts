import { describe, expect, it } from 'vitest';
import { delayed, envelope, json } from './support/fake-upstream.js';
import { useGateway } from './support/harness.js';
import { sessionsPayload } from './support/sessions.js';

/*
 * When requests share one in-flight upstream call, its log line names every request that waited
 * on it, so each can be followed to the upstream (which saw only the first one's X-Request-Id).
 */

const QUERY = '{ agent { requestedSessions(limit: 3) { id } } }';
const ids = ['req-shared-a', 'req-shared-b', 'req-shared-c', 'req-shared-d'];

describe('one log line per shared call, with every waiting request id', () => {
  const harness = useGateway({ UPSTREAM_RETRY_ATTEMPTS: '1', BREAKER_MIN_CALLS: '10000' });

  async function shareOneCall() {
    const key = `mca_shared_logs_${Math.random().toString(36).slice(2)}`;
    const answers = ids.map((id) =>
      harness.gateway.query(QUERY, { headers: { 'x-api-key': key, 'x-request-id': id } }),
    );
    return Promise.all(answers);
  }

  it('a failed shared call logs one upstream_failure listing all of them', async () => {
    harness.upstream.respondWith(delayed(150, envelope(503, { code: 'down', message: 'Down.' })));
    const before = harness.gateway.logs.length;

    const answers = await shareOneCall();

    for (const answer of answers) {
      expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual(['UPSTREAM_UNAVAILABLE']);
    }
    expect(harness.upstream.requests).toHaveLength(1);
    const sentId = harness.upstream.requests[0]?.headers['x-request-id'];
    const failures = harness.gateway.logs.slice(before).filter((line) => line.event === 'upstream_failure');
    expect(failures).toHaveLength(1);
    expect(failures[0]?.requestId).toBe(sentId);
    expect([...((failures[0]?.requestIds as string[]) ?? [])].sort()).toEqual([...ids].sort());
  });

  it('a successful shared call logs one upstream_call (debug) listing all of them', async () => {
    harness.upstream.respondWith(delayed(150, json(200, sessionsPayload())));
    const before = harness.gateway.logs.length;

    await shareOneCall();

    expect(harness.upstream.requests).toHaveLength(1);
    const calls = harness.gateway.logs.slice(before).filter((line) => line.event === 'upstream_call');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      level: 'debug',
      route: 'listAgentRealtimeRequestedSessions',
      status: 200,
    });
    expect([...((calls[0]?.requestIds as string[]) ?? [])].sort()).toEqual([...ids].sort());
  });
});
