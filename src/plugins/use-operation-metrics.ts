import { getOperationAST, type DocumentNode } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { GatewayMetrics } from '../metrics.js';

/**
 * Counts and times every GraphQL operation by name, type and outcome: `success`, `partial`
 * (data with errors), `error` (no data), or `invalid` (refused by validation, never executed).
 */
export function useOperationMetrics(metrics: GatewayMetrics): Plugin {
  const labelsOf = (document: DocumentNode, operationName?: string | null) => {
    const operation = getOperationAST(document, operationName);
    return {
      name: metrics.operationLabel(operation?.name?.value ?? operationName),
      type: operation?.operation ?? 'unknown',
    };
  };
  return {
    onValidate({ params, context }) {
      return ({ result }) => {
        if (result.length === 0) return;
        const operationName = (context as { params?: { operationName?: string } }).params?.operationName;
        const { name, type } = labelsOf(params.documentAST, operationName);
        metrics.countOperation(name, type, 'invalid');
      };
    },
    onExecute({ args }) {
      const started = performance.now();
      const { name, type } = labelsOf(args.document, args.operationName);
      return {
        onExecuteDone({ result }) {
          if (isAsyncIterable(result)) return;
          const outcome = !result.errors?.length ? 'success' : result.data ? 'partial' : 'error';
          metrics.countOperation(name, type, outcome, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
