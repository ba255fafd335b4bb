import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { raw, refusingUpstreamUrl } from './support/fake-upstream.js';
import { startTestGateway } from './support/gateway.js';
import { useGateway } from './support/harness.js';

const get = (gatewayUrl: URL, path: string) => fetch(new URL(path, gatewayUrl));

describe('/health', () => {
  const harness = useGateway();

  it('answers 200 while the process is alive, without calling the upstream', async () => {
    expect((await get(harness.gateway.url, '/health')).status).toBe(200);
    expect(harness.upstream.requests).toHaveLength(0);
  });
});

describe('/ready', () => {
  const harness = useGateway({ READY_CACHE_MS: '60000' });

  it('is 200 when AgentMC answers, probing once without any key, and reuses that answer', async () => {
    harness.upstream.respondWith(raw(401, ''));

    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await get(harness.gateway.url, '/ready')).status);

    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(harness.upstream.requests).toHaveLength(1);
    expect(harness.upstream.requests[0]?.headers['x-api-key']).toBeUndefined();
  });

  it('is 503 when AgentMC is unreachable', async () => {
    const gateway = await startTestGateway(await refusingUpstreamUrl());
    try {
      expect((await get(gateway.url, '/ready')).status).toBe(503);
    } finally {
      await gateway.close();
    }
  });
});

describe('/ready without a recent healthy answer', () => {
  const harness = useGateway({ READY_CACHE_MS: '1' });

  it('is 503 when AgentMC answers 5xx', async () => {
    harness.upstream.respondWith(raw(502, ''));

    expect((await get(harness.gateway.url, '/ready')).status).toBe(503);
  });
});

describe('/ready and the circuit breaker', () => {
  const harness = useGateway({
    UPSTREAM_RETRY_ATTEMPTS: '1',
    BREAKER_MIN_CALLS: '2',
    BREAKER_RESET_MS: '60000',
    READY_CACHE_MS: '60000',
  });

  it('is 503 while the circuit is open, even though a recent answer was healthy', async () => {
    harness.upstream.respondWith(raw(401, ''));
    expect((await get(harness.gateway.url, '/ready')).status).toBe(200);

    harness.upstream.respondWith(raw(502, ''));
    for (let i = 0; i < 3; i += 1) {
      await harness.gateway.query('{ agent { requestedSessions { id } } }', {
        headers: { 'x-api-key': 'mca_k' },
      });
    }

    expect((await get(harness.gateway.url, '/ready')).status).toBe(503);
  });
});

describe('idle client connections', () => {
  const harness = useGateway({ HTTP_KEEP_ALIVE_MS: '400' });

  it('stay open for HTTP_KEEP_ALIVE_MS after a response, then the gateway closes them', async () => {
    const socket = connect(Number(harness.gateway.url.port), '127.0.0.1');
    let closedAt: number | undefined;
    const closed = new Promise<void>((resolve) =>
      socket.once('close', () => {
        closedAt = performance.now();
        resolve();
      }),
    );
    const answered = new Promise<string>((resolve) => socket.once('data', (chunk) => resolve(String(chunk))));
    socket.write('GET /health HTTP/1.1\r\nHost: gateway\r\n\r\n');
    expect(await answered).toMatch(/^HTTP\/1\.1 200/);
    const answeredAt = performance.now();

    await delay(150);
    expect(closedAt).toBeUndefined();
    await closed;
    expect((closedAt ?? 0) - answeredAt).toBeGreaterThanOrEqual(300);
  });
});
