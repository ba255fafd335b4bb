import type { Plugin } from 'graphql-yoga';

export const READINESS_PATH = '/ready';

/**
 * Answers /ready with 200 or 503 from `check`. (Yoga's `useReadinessCheck` matches every
 * request against a URLPattern, a cost paid by each GraphQL request for one path.)
 */
export function useReadiness(check: () => Promise<boolean>): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== READINESS_PATH) return undefined;
      return check().then(
        (ready) => endResponse(new fetchAPI.Response(null, { status: ready ? 200 : 503 })),
        () => endResponse(new fetchAPI.Response(null, { status: 503 })),
      );
    },
  };
}
