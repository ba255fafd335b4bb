import { GraphQLError } from 'graphql';
import { maskError as maskUnexpectedError } from 'graphql-yoga';
/**
 * The catalogue of every `extensions.code` a client can meet. Codes are a stable contract:
 * add new ones, never rename or reuse.
 */
export const ErrorCode = {
    UNAUTHENTICATED: 'UNAUTHENTICATED',
    FORBIDDEN: 'FORBIDDEN',
    NOT_FOUND: 'NOT_FOUND',
    CONFLICT: 'CONFLICT',
    BAD_USER_INPUT: 'BAD_USER_INPUT',
    /** A request the gateway cannot run: no operation to pick, a malformed document. */
    BAD_REQUEST: 'BAD_REQUEST',
    RATE_LIMITED: 'RATE_LIMITED',
    UPSTREAM_REJECTED: 'UPSTREAM_REJECTED',
    UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
    UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
    UPSTREAM_BAD_RESPONSE: 'UPSTREAM_BAD_RESPONSE',
    /** More live subscriptions than the gateway allows, for this key or in all. */
    TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
    /** The client disconnected before the answer; it cannot see this code. */
    CANCELLED: 'CANCELLED',
};
/**
 * Every error this gateway raises on purpose. It keeps the name `GraphQLError`, which is what
 * tells Yoga's error masking that the message is safe to show; anything else is masked.
 */
export class GatewayError extends GraphQLError {
    constructor(message, extensions, cause) {
        super(message, { extensions, originalError: cause instanceof Error ? cause : undefined });
    }
    get code() {
        return this.extensions.code;
    }
}
/** The one table from an upstream HTTP status to our code; statuses not listed fall to ranges. */
const codeByStatus = {
    401: ErrorCode.UNAUTHENTICATED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    409: ErrorCode.CONFLICT,
    422: ErrorCode.BAD_USER_INPUT,
    429: ErrorCode.RATE_LIMITED,
};
const messageByCode = {
    UNAUTHENTICATED: 'The AgentMC API rejected the API key. Check the key sent in X-Api-Key.',
    FORBIDDEN: 'The AgentMC API refused this API key access to the requested sessions.',
    NOT_FOUND: 'The AgentMC API found no agent for this API key.',
    CONFLICT: 'The AgentMC API reported a conflict with the current state of the agent.',
    BAD_USER_INPUT: 'The AgentMC API rejected the request as invalid.',
    BAD_REQUEST: 'The request cannot be run.',
    RATE_LIMITED: 'The AgentMC API is rate limiting this API key.',
    UPSTREAM_REJECTED: 'The AgentMC API rejected the request.',
    UPSTREAM_UNAVAILABLE: 'The AgentMC API is unavailable.',
    UPSTREAM_TIMEOUT: 'The AgentMC API did not answer in time.',
    UPSTREAM_BAD_RESPONSE: 'The AgentMC API sent a response the gateway cannot use.',
    CANCELLED: 'The request was cancelled by the client.',
    TOO_MANY_SUBSCRIPTIONS: 'Too many live subscriptions.',
};
export function codeForUpstreamStatus(status) {
    return (codeByStatus[status] ?? (status >= 500 ? ErrorCode.UPSTREAM_UNAVAILABLE : ErrorCode.UPSTREAM_REJECTED));
}
/** The one mapping from an upstream error response (status 4xx/5xx) to a GraphQL error. */
export function errorFromUpstreamResponse(failure) {
    const code = codeForUpstreamStatus(failure.status);
    const upstream = { status: failure.status };
    if (failure.code !== undefined)
        upstream.code = failure.code;
    if (failure.message !== undefined)
        upstream.message = failure.message;
    if (failure.requestId !== undefined)
        upstream.requestId = failure.requestId;
    const extensions = { code, upstream };
    let hint = '';
    if (code === ErrorCode.RATE_LIMITED || code === ErrorCode.UPSTREAM_UNAVAILABLE) {
        if (failure.retryAfter !== undefined)
            extensions.retryAfter = failure.retryAfter;
        hint = failure.retryAfter !== undefined ? ` Retry after ${failure.retryAfter} s.` : ' Retry later.';
    }
    const message = `${messageByCode[code]}${hint} (upstream status ${failure.status})`;
    if (code === ErrorCode.BAD_USER_INPUT && failure.fields !== undefined) {
        extensions.fields = failure.fields;
    }
    return new GatewayError(message, extensions);
}
export function badUpstreamResponse(reason, status, detail) {
    const where = detail?.path ? ` at ${detail.path}` : '';
    const upstream = { status };
    if (detail?.requestId !== undefined)
        upstream.requestId = detail.requestId;
    return new GatewayError(`${messageByCode.UPSTREAM_BAD_RESPONSE} Reason: ${reason}${where}.`, {
        code: ErrorCode.UPSTREAM_BAD_RESPONSE,
        reason,
        upstream,
    });
}
export function upstreamTimeout(deadlineMs, phase, cause) {
    return new GatewayError(`${messageByCode.UPSTREAM_TIMEOUT} No ${phase} within ${deadlineMs} ms.`, { code: ErrorCode.UPSTREAM_TIMEOUT }, cause);
}
export function upstreamUnreachable(cause) {
    return new GatewayError(`${messageByCode.UPSTREAM_UNAVAILABLE} It could not be reached. Retry later.`, { code: ErrorCode.UPSTREAM_UNAVAILABLE }, cause);
}
export function circuitOpen(retryAfter) {
    return new GatewayError(`${messageByCode.UPSTREAM_UNAVAILABLE} After repeated failures the gateway stops calling it for a while. Retry after ${retryAfter} s.`, { code: ErrorCode.UPSTREAM_UNAVAILABLE, circuitOpen: true, retryAfter });
}
/** The client went away; nobody reads this answer, but the upstream call stops with it. */
export function requestCancelled(cause) {
    return new GatewayError('The request was cancelled by the client.', { code: ErrorCode.CANCELLED }, cause);
}
export function tooManySubscriptions(scope) {
    return new GatewayError(scope === 'key'
        ? `${messageByCode.TOO_MANY_SUBSCRIPTIONS} This API key has reached its limit; close one first.`
        : `${messageByCode.TOO_MANY_SUBSCRIPTIONS} The gateway has reached its limit; retry later.`, { code: ErrorCode.TOO_MANY_SUBSCRIPTIONS });
}
export function missingApiKey() {
    return new GatewayError('No API key: send your AgentMC agent key in the X-Api-Key header (or Authorization: Bearer <key>).', { code: ErrorCode.UNAUTHENTICATED });
}
export function malformedApiKey(header) {
    return new GatewayError(`The API key in ${header} is malformed: it must be one token of 1 to 256 visible ASCII characters, sent once.`, { code: ErrorCode.UNAUTHENTICATED });
}
export function anotherAgentForbidden() {
    return new GatewayError('This API key authenticates a different agent: the gateway serves only the data of the agent the key belongs to.', { code: ErrorCode.FORBIDDEN });
}
export function argumentOutOfRange(argumentName, value, min, max) {
    return new GatewayError(`Argument "${argumentName}" must be between ${min} and ${max}; got ${value}.`, {
        code: ErrorCode.BAD_USER_INPUT,
        argumentName,
        min,
        max,
    });
}
/**
 * Yoga's masking policy, extended: an error that is, or wraps, a GatewayError was raised on
 * purpose and is shown as it is (its cause stays in `originalError`, for logs only). Anything
 * else is a bug and is masked as INTERNAL_SERVER_ERROR, without stack or cause, in every mode.
 */
export const maskError = (error, message) => {
    for (let current = error; current instanceof GraphQLError; current = current.originalError) {
        if (current instanceof GatewayError)
            return error;
    }
    return maskUnexpectedError(error, message, false);
};
//# sourceMappingURL=errors.js.map