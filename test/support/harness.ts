import { afterAll, beforeAll, beforeEach } from 'vitest';
import { json, startFakeUpstream, type FakeUpstream } from './fake-upstream.js';
import { startTestGateway, type TestGateway } from './gateway.js';
import { sessionsPayload } from './sessions.js';

export interface Harness {
  upstream: FakeUpstream;
  gateway: TestGateway;
}

/**
 * One fake upstream and one gateway in front of it for the whole file; before each test the
 * recorded requests are cleared and the upstream answers the two sample sessions again.
 */
export function useGateway(environment: Record<string, string> = {}): Harness {
  const harness = {} as Harness;
  beforeAll(async () => {
    harness.upstream = await startFakeUpstream();
    harness.gateway = await startTestGateway(harness.upstream.baseUrl, environment);
  });
  afterAll(async () => {
    await harness.gateway?.close();
    await harness.upstream?.close();
  });
  beforeEach(() => {
    harness.upstream.requests.length = 0;
    harness.upstream.respondWith(json(200, sessionsPayload()));
  });
  return harness;
}
