import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { TracingMode } from './settings.js';
import { GATEWAY_NAME, GATEWAY_VERSION } from './version.js';

export interface Tracing {
  /** Flushes the spans not yet exported and stops tracing. */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry tracing: spans for GraphQL operations (see useOperationTracing) and for
 * every upstream HTTP request (undici's instrumentation, which also sends W3C `traceparent`
 * upstream). The OTLP exporter reads the standard OTEL_EXPORTER_OTLP_* variables itself. The
 * SDK is loaded only when tracing is on, so a gateway without it pays nothing.
 */
export async function startTracing(
  mode: Exclude<TracingMode, 'off'>,
  exporter?: SpanExporter,
): Promise<Tracing> {
  const [
    { NodeTracerProvider },
    base,
    { resourceFromAttributes },
    { registerInstrumentations },
    { UndiciInstrumentation },
  ] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/instrumentation'),
    import('@opentelemetry/instrumentation-undici'),
  ]);
  const chosen =
    exporter ??
    (mode === 'console'
      ? new base.ConsoleSpanExporter()
      : new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter());
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': process.env.OTEL_SERVICE_NAME ?? GATEWAY_NAME,
      'service.version': GATEWAY_VERSION,
    }),
    // Tests pass an in-memory exporter and want each span the moment it ends.
    spanProcessors: [exporter ? new base.SimpleSpanProcessor(chosen) : new base.BatchSpanProcessor(chosen)],
  });
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [new UndiciInstrumentation()],
  });
  return {
    async shutdown() {
      unregister();
      await provider.shutdown();
    },
  };
}
