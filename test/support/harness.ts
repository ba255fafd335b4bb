import { afterAll, beforeAll, beforeEach } from 'vitest';
import { agentmc, startFakeUpstream, type FakeUpstream } from './fake-upstream.js';
import { startTestGateway, type TestGateway } from './gateway.js';

export interface Harness {
  upstream: FakeUpstream;
  gateway: TestGateway;
}

/**
 * One fake upstream and one gateway in front of it for the whole file; before each test the
 * recorded requests are cleared and the upstream answers as agent 77 with two sample sessions.
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
    harness.upstream.respondWith(agentmc());
  });
  return harness;
}
