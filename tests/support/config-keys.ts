/** Helpers of the key-setting specs: a key of a given fill and length, and the one-line refusal of a configuration. */
import { expect } from 'vitest';
import { ConfigurationError } from '@hru/events';
import { loadConfig } from '@hru/infra';

export const base64Key = (fill: number, bytes = 32) => Buffer.alloc(bytes, fill).toString('base64');

/** The message loadConfig refuses `env` with (a ConfigurationError); fails when it is accepted. */
export function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}
