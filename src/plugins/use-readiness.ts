import type { Plugin } from 'graphql-yoga';

export const READINESS_PATH = '/ready';
/** The same answer with a JSON body that says what the gateway runs against. */
export const READINESS_REPORT_PATH = '/readyz';

/**
 * Answers /ready with 200 or 503 from `check`, and /readyz with the same status and a JSON body:
 * `{ ready, ...details() }`. (Yoga's `useReadinessCheck` matches every request against a
 * URLPattern, a cost paid by each GraphQL request for one path.)
 */
export function useReadiness(check: () => Promise<boolean>, details: () => Record<string, unknown>): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      const { pathname } = url;
      if (pathname !== READINESS_PATH && pathname !== READINESS_REPORT_PATH) return undefined;
      const answer = (ready: boolean) =>
        endResponse(
          pathname === READINESS_PATH
            ? new fetchAPI.Response(null, { status: ready ? 200 : 503 })
            : fetchAPI.Response.json({ ready, ...details() }, { status: ready ? 200 : 503 }),
        );
      return check().then(answer, () => answer(false));
    },
  };
}
