import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { getOperationAST } from 'graphql';
import { isAsyncIterable } from 'graphql-yoga';
import { GATEWAY_NAME, GATEWAY_VERSION } from '../version.js';
/**
 * One span per GraphQL operation, made the active context while it executes, so the spans of
 * its upstream calls (undici's instrumentation) are its children and carry its trace upstream.
 * Only installed when tracing is configured.
 */
export function useOperationTracing() {
    const tracer = trace.getTracer(GATEWAY_NAME, GATEWAY_VERSION);
    return {
        onExecute({ args, executeFn, setExecuteFn }) {
            const operation = getOperationAST(args.document, args.operationName);
            const type = operation?.operation ?? 'query';
            const name = operation?.name?.value ?? args.operationName ?? 'anonymous';
            const span = tracer.startSpan(`graphql.${type} ${name}`, {
                attributes: { 'graphql.operation.type': type, 'graphql.operation.name': name },
            });
            const active = trace.setSpan(context.active(), span);
            setExecuteFn((executionArgs) => context.with(active, () => executeFn(executionArgs)));
            return {
                onExecuteDone({ result }) {
                    if (!isAsyncIterable(result) && result.errors?.length) {
                        span.setStatus({ code: SpanStatusCode.ERROR, message: `${result.errors.length} error(s)` });
                        span.setAttribute('graphql.error.count', result.errors.length);
                    }
                    span.end();
                },
            };
        },
    };
}
//# sourceMappingURL=use-operation-tracing.js.map