import { GraphQLError, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.js';

/**
 * graphql-js reports variables it cannot coerce (`$limit` = 2^40, a string for an Int) and an
 * operation it cannot pick as bare errors without a code. Executing nothing, they come back
 * without `data`; give them the stable codes every other client error has, for queries and
 * mutations (execute) and subscriptions (subscribe) alike.
 */
export function useRequestErrorCodes(): Plugin {
  const coded = (result: ExecutionResult, setResult: (result: ExecutionResult) => void) => {
    if (result.data !== undefined || !result.errors) return;
    setResult({ ...result, errors: result.errors.map(withRequestCode) });
  };
  return {
    onExecute: () => ({
      onExecuteDone: ({ result, setResult }) => {
        if (!isAsyncIterable(result)) coded(result, setResult);
      },
    }),
    onSubscribe: () => ({
      onSubscribeResult: ({ result, setResult }) => {
        if (!isAsyncIterable(result)) coded(result, setResult);
      },
    }),
  };
}

function withRequestCode(error: GraphQLError): GraphQLError {
  return withErrorCode(
    error,
    error.message.startsWith('Variable "$') ? ErrorCode.BAD_USER_INPUT : ErrorCode.BAD_REQUEST,
  );
}

/** The error with `code` in its extensions, unless it has a code already. */
export function withErrorCode(error: GraphQLError, code: ErrorCode): GraphQLError {
  // graphql-jit builds its errors without an extensions object.
  if (error.extensions?.code !== undefined) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}
