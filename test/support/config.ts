import { ConfigError, createConfig } from '../../src/config.js';

/** The problems `createConfig` reports for an environment; empty when it is valid. */
export function configProblems(env: Record<string, string>): string[] {
  try {
    createConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
