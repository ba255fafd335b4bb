import { hash } from 'node:crypto';

/**
 * One token of visible ASCII, at most 256 characters. Anything else (spaces, control characters,
 * two headers that Node joined into "a, b") is refused before it can reach an upstream header.
 */
const API_KEY_PATTERN = /^[\x21-\x7e]{1,256}$/;
const BEARER_PATTERN = /^Bearer +(.*)$/i;

export function isWellFormedApiKey(value: string): boolean {
  return API_KEY_PATTERN.test(value);
}

/** The caller's credential as this request presented it; `RequestCredential` checks it where used. */
export type Credential =
  | { readonly kind: 'key'; readonly apiKey: string; readonly source: CredentialSource }
  | { readonly kind: 'missing' }
  | { readonly kind: 'malformed'; readonly header: string };

export type CredentialSource = 'x-api-key' | 'authorization' | 'fallback';

/**
 * Reads the key from `X-Api-Key`, else from `Authorization: Bearer`, else the configured
 * fallback. A header that is present but malformed never falls back to the server's key: the
 * caller meant to send a key and must learn that it was refused.
 */
export function credentialFromHeaders(headers: Headers, fallbackApiKey?: string): Credential {
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

/** SHA-256 of a key: what in-flight shares and feeds are keyed by, so no map holds a key itself. */
export function credentialDigest(apiKey: string): string {
  return hash('sha256', apiKey, 'base64url');
}

/** A short, stable, non-reversible label for a key: what logs show instead of it. */
export function credentialFingerprint(apiKey: string): string {
  return fingerprintOfDigest(credentialDigest(apiKey));
}

/** The fingerprint of a key whose digest is already known. */
export function fingerprintOfDigest(digest: string): string {
  return digest.slice(0, 12);
}
