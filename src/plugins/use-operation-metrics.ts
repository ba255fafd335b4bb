import { getOperationAST, type DocumentNode } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { GatewayMetrics } from '../metrics.js';

function operationLabels(metrics: GatewayMetrics, document: DocumentNode, operationName?: string | null) {
  const operation = getOperationAST(document, operationName);
  return {
    operation_name: metrics.operationLabel(operation?.name?.value ?? operationName),
    operation_type: operation?.operation ?? 'unknown',
  };
}

/**
 * Counts and times every GraphQL operation by name, type and outcome: `success`, `partial`
 * (data with errors), `error` (no data), or `invalid` (refused by validation, never executed).
 */
export function useOperationMetrics(metrics: GatewayMetrics): Plugin {
  return {
    onValidate({ params, context }) {
      return ({ result }) => {
        if (result.length === 0) return;
        const operationName = (context as { params?: { operationName?: string } }).params?.operationName;
        metrics.operations.inc({
          ...operationLabels(metrics, params.documentAST, operationName),
          outcome: 'invalid',
        });
      };
    },
    onExecute({ args }) {
      const started = performance.now();
      const labels = operationLabels(metrics, args.document, args.operationName);
      return {
        onExecuteDone({ result }) {
          if (isAsyncIterable(result)) return;
          const outcome = !result.errors?.length ? 'success' : result.data ? 'partial' : 'error';
          metrics.operations.inc({ ...labels, outcome });
          metrics.operationDuration.observe({ ...labels, outcome }, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
