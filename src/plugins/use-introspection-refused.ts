import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Refuses `__schema` and `__type` during validation. (Yoga's `useDisableIntrospection` decides per
 * request, with a hook on every request's parsing; this gateway decides once, at start.)
 */
export function useIntrospectionRefused(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}
