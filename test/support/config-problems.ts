import { ConfigError, loadConfig } from '../../src/config.js';

/** The problems `loadConfig` reports for `environment`; fails the test when it reports none. */
export function problemsOf(environment: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}
