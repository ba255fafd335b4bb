import { describe, expect, it } from 'vitest';
import { credentialFingerprint } from '../src/credentials.js';
import { agentmc, envelope, raw } from './support/fake-upstream.js';
import { useGateway } from './support/harness.js';

const KEY = 'mca_log_secret_Zq81x';
const harness = useGateway({ BREAKER_MIN_CALLS: '10000', UPSTREAM_RETRY_BASE_MS: '5' });

describe('logs', () => {
  it('are JSON lines, show a failing key only as a short hash, and never the key', async () => {
    const query = '{ agent { id requestedSessions { id } } }';
    harness.upstream.respondWith(agentmc());
    await harness.gateway.query(query, { headers: { 'x-api-key': KEY } });
    harness.upstream.respondWith(envelope(401, { code: 'unauthenticated', message: `Bad key ${KEY}` }));
    await harness.gateway.query(query, { headers: { 'x-api-key': KEY } });
    harness.upstream.respondWith(raw(503, ''));
    await harness.gateway.query(query, { headers: { authorization: `Bearer ${KEY}` } });
    await harness.gateway.query(query, { headers: { 'x-api-key': `${KEY} with spaces` } });

    const { logs } = harness.gateway;
    expect(JSON.stringify(logs)).not.toContain(KEY);
    const failures = logs.filter((line) => line.event === 'upstream_failure');
    // Two upstream calls per failing query (the agent's id, its sessions); the malformed key makes none.
    expect(failures.map((line) => line.code)).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UPSTREAM_UNAVAILABLE',
      'UPSTREAM_UNAVAILABLE',
    ]);
    for (const line of failures) {
      expect(line.keyHash).toBe(credentialFingerprint(KEY));
      expect(line.level).toBe('warn');
      expect(typeof line.time).toBe('string');
    }
  });
});
