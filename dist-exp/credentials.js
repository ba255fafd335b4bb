import { hash } from 'node:crypto';
import { malformedApiKey, missingApiKey } from './errors.js';
/**
 * One token of visible ASCII, at most 256 characters. Anything else (spaces, control characters,
 * two headers that Node joined into "a, b") is refused before it can reach an upstream header.
 */
const API_KEY_PATTERN = /^[\x21-\x7e]{1,256}$/;
const BEARER_PATTERN = /^Bearer +(.*)$/i;
export function isWellFormedApiKey(value) {
    return API_KEY_PATTERN.test(value);
}
/**
 * Reads the key from `X-Api-Key`, else from `Authorization: Bearer`, else the configured
 * fallback. A header that is present but malformed never falls back to the server's key: the
 * caller meant to send a key and must learn that it was refused.
 */
export function credentialFromHeaders(headers, fallbackApiKey) {
    const apiKeyHeader = headers.get('x-api-key');
    if (apiKeyHeader !== null) {
        return isWellFormedApiKey(apiKeyHeader)
            ? { kind: 'key', apiKey: apiKeyHeader, source: 'x-api-key' }
            : { kind: 'malformed', header: 'X-Api-Key' };
    }
    const authorization = headers.get('authorization');
    const bearer = authorization === null ? null : BEARER_PATTERN.exec(authorization);
    // Another scheme (Basic, or a token meant for a neighbouring subgraph) is not ours to read.
    if (bearer) {
        const token = bearer[1] ?? '';
        return isWellFormedApiKey(token)
            ? { kind: 'key', apiKey: token, source: 'authorization' }
            : { kind: 'malformed', header: 'Authorization' };
    }
    if (fallbackApiKey !== undefined) {
        return { kind: 'key', apiKey: fallbackApiKey, source: 'fallback' };
    }
    return { kind: 'missing' };
}
/** The key to send upstream, or the error that explains why there is none. */
export function requireApiKey(credential) {
    switch (credential.kind) {
        case 'key':
            return credential.apiKey;
        case 'missing':
            throw missingApiKey();
        case 'malformed':
            throw malformedApiKey(credential.header);
    }
}
/** SHA-256 of a key: what in-flight shares are keyed by, so no map holds a key itself. */
export function credentialDigest(apiKey) {
    return hash('sha256', apiKey, 'base64url');
}
/** A short, stable, non-reversible label for a key: what logs show instead of it. */
export function credentialFingerprint(apiKey) {
    return credentialDigest(apiKey).slice(0, 12);
}
//# sourceMappingURL=credentials.js.map