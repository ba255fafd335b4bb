import type { Plugin } from 'graphql-yoga';
import type { GatewayMetrics } from '../metrics.js';

export const METRICS_PATH = '/metrics';

/**
 * Serves the registry at /metrics and times every HTTP answer by method and status. (Yoga's
 * Prometheus plugin does the same through envelop's per-phase hooks, label builders and a
 * document walk per request: about a tenth of the gateway's throughput for one histogram.)
 */
export function useMetricsEndpoint(metrics: GatewayMetrics): Plugin {
  const startedAt = new WeakMap<Request, number>();
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== METRICS_PATH) {
        startedAt.set(request, performance.now());
        return undefined;
      }
      return metrics.registry.metrics().then((text) => {
        endResponse(
          new fetchAPI.Response(text, { headers: { 'content-type': metrics.registry.contentType } }),
        );
      });
    },
    onResponse({ request, response }) {
      const started = startedAt.get(request);
      if (started === undefined) return;
      metrics.observeHttpRequest(request.method, response.status, (performance.now() - started) / 1000);
    },
  };
}
