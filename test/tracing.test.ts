import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracing, type Tracing } from '../src/tracing.js';
import { useGateway } from './support/harness.js';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;

// Tracing is process-wide; this file runs in its own worker, so other tests never see it.
beforeAll(async () => {
  tracing = await startTracing('console', exporter);
});
afterAll(async () => {
  await tracing.shutdown();
});

describe('OpenTelemetry tracing, when configured', () => {
  const harness = useGateway({ OTEL_TRACES_EXPORTER: 'console' });

  it('sends W3C traceparent upstream, inside a span per operation and one per upstream call', async () => {
    const response = await harness.gateway.query(
      'query RequestedSessions { agent { requestedSessions(limit: 2) { id } } }',
      { headers: { 'x-api-key': 'mca_traced' } },
    );

    expect(response.body.errors).toBeUndefined();
    const traceparent = String(harness.upstream.requests[0]?.headers.traceparent);
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    const [, traceId, parentSpanId] = traceparent.split('-');

    const spans = exporter.getFinishedSpans();
    const operation = spans.find((span) => span.name === 'graphql.query RequestedSessions');
    const upstreamCall = spans.find((span) => span.spanContext().spanId === parentSpanId);
    expect(operation?.spanContext().traceId).toBe(traceId);
    expect(upstreamCall?.spanContext().traceId).toBe(traceId);
    expect(upstreamCall?.parentSpanContext?.spanId).toBe(operation?.spanContext().spanId);
    expect(upstreamCall?.attributes['http.request.method']).toBe('GET');
  });
});
