/** An integrity monitor for tests: state in `dir`, schedules far away (tests call check/anchor/fullCheck). */
import { join } from 'node:path';
import pino from 'pino';
import type { EventStore } from '@hru/application';
import { IntegrityMonitor, type ChainVerifier, type IntegrityMonitorOptions } from '@hru/infra';

const HOUR = 3_600_000;

export function testIntegrityMonitor(store: EventStore & ChainVerifier, dir: string, options: Partial<IntegrityMonitorOptions> = {}): IntegrityMonitor {
  return new IntegrityMonitor({
    store,
    stateFile: join(dir, 'integrity-state.json'),
    sink: undefined,
    verifyIntervalMs: HOUR,
    anchorIntervalMs: HOUR,
    fullVerifyIntervalMs: 24 * HOUR,
    webhookUrls: [],
    webhookSecret: undefined,
    logger: pino({ level: 'silent' }),
    ...options,
  });
}
