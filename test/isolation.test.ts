import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { delayed, json, routes, SESSIONS_PATH, INSTRUCTIONS_PATH } from './support/fake-upstream.js';
import { useGateway } from './support/harness.js';
import { instructionsPayload, session } from './support/sessions.js';

/** Each key owns a distinct agent id and session id, derived from the key itself. */
function ownedBy(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) % 1_000_000;
}

const harness = useGateway({ BREAKER_MIN_CALLS: '10000' });

describe('isolation between callers', () => {
  it('many keys at once, against a slow upstream, each get only their own data', async () => {
    // Slow answers keep every request in flight together, so any shared loader, in-flight
    // share or cache would hand one key's answer to another.
    harness.upstream.respondWith((response, request) => {
      const owner = ownedBy(String(request.headers['x-api-key']));
      routes({
        [SESSIONS_PATH]: delayed(150, json(200, { data: [{ ...session(owner), agent_id: owner }] })),
        [INSTRUCTIONS_PATH]: delayed(150, json(200, instructionsPayload(owner))),
      })(response, request);
    });
    const keys = Array.from({ length: 60 }, (_, i) => `mca_tenant_${i % 30}_${i < 30 ? 'a' : 'b'}`);
    // Two rounds of the same 30 keys interleaved, plus identical queries, to tempt any sharing.
    const answers = await Promise.all(
      keys.map((key) =>
        harness.gateway.query('{ agent { id requestedSessions(limit: 5) { id agentId } } }', {
          headers: { 'x-api-key': key },
        }),
      ),
    );

    answers.forEach((answer, i) => {
      const owner = String(ownedBy(keys[i] ?? ''));
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data).toEqual({
        agent: { id: owner, requestedSessions: [{ id: owner, agentId: owner }] },
      });
    });
    expect(
      harness.upstream.requests.every((request) => keys.includes(String(request.headers['x-api-key']))),
    ).toBe(true);
  });
});
