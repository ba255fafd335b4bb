import { getOperationAST } from 'graphql';
import { isAsyncIterable } from 'graphql-yoga';
function operationLabels(metrics, document, operationName) {
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
export function useOperationMetrics(metrics) {
    return {
        onValidate({ params, context }) {
            return ({ result }) => {
                if (result.length === 0)
                    return;
                const operationName = context.params?.operationName;
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
                    if (isAsyncIterable(result))
                        return;
                    const outcome = !result.errors?.length ? 'success' : result.data ? 'partial' : 'error';
                    metrics.operations.inc({ ...labels, outcome });
                    metrics.operationDuration.observe({ ...labels, outcome }, (performance.now() - started) / 1000);
                },
            };
        },
    };
}
//# sourceMappingURL=use-operation-metrics.js.map