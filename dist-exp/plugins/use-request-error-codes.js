import { GraphQLError } from 'graphql';
import { isAsyncIterable } from 'graphql-yoga';
import { ErrorCode } from '../errors.js';
/**
 * graphql-js reports variables it cannot coerce (`$limit` = 2^40, a string for an Int) and an
 * operation it cannot pick as bare errors without a code. Executing nothing, they come back
 * without `data`; give them the stable codes every other client error has.
 */
export function useRequestErrorCodes() {
    return {
        onExecute: () => ({
            onExecuteDone: ({ result, setResult }) => {
                if (isAsyncIterable(result) || result.data !== undefined || !result.errors)
                    return;
                setResult({ ...result, errors: result.errors.map(withCode) });
            },
        }),
    };
}
function withCode(error) {
    // graphql-jit builds its errors without an extensions object.
    if (error.extensions?.code !== undefined)
        return error;
    const code = error.message.startsWith('Variable "$') ? ErrorCode.BAD_USER_INPUT : ErrorCode.BAD_REQUEST;
    return new GraphQLError(error.message, {
        nodes: error.nodes,
        source: error.source,
        positions: error.positions,
        path: error.path,
        originalError: error.originalError,
        extensions: { ...error.extensions, code },
    });
}
//# sourceMappingURL=use-request-error-codes.js.map