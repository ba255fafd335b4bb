import type { DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

type OnValidate = NonNullable<Plugin['onValidate']>;
type AfterValidate = Exclude<ReturnType<OnValidate>, void>;
type AfterValidatePayload = Parameters<AfterValidate>[0];

/**
 * The validation-time guards (graphql-armor's limits, the introspection refusal, the masking of
 * field suggestions), run as one hook and only when a document is first validated: its errors,
 * as they leave the last guard, are kept for that parsed document (Yoga's parse cache hands back
 * the same one for the same text) and every later request of it gets them without validating
 * again. Yoga's own validation cache (off in `server.ts`) did the same behind one hook per guard,
 * each called with a payload of its own on every request, and keyed its cache by the names of all
 * ~30 rules, joined per request: about a sixth of the memory a request allocated.
 *
 * Only for hooks that depend on nothing but the document: a hook that counts or logs per request
 * (`useOperationMetrics`) stays a plugin of its own.
 */
export function useCachedValidation(guards: readonly Plugin[]): Plugin {
  const hooks = guards.flatMap((guard) => (guard.onValidate === undefined ? [] : [guard.onValidate]));
  const validated = new WeakMap<DocumentNode, AfterValidatePayload['result']>();
  return {
    onValidate(payload) {
      const known = validated.get(payload.params.documentAST);
      if (known !== undefined) {
        payload.setResult(known);
        return;
      }
      const afterHooks = hooks.flatMap((hook) => hook(payload) ?? []);
      return (after) => {
        let { result } = after;
        const step: AfterValidatePayload = {
          ...after,
          setResult: (errors) => {
            result = errors;
          },
        };
        for (const afterHook of afterHooks) afterHook({ ...step, result, valid: result.length === 0 });
        if (result !== after.result) after.setResult([...result]);
        validated.set(payload.params.documentAST, result);
      };
    },
  };
}
