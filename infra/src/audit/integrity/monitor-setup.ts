/** The integrity monitor as the configuration wants it (used by the composition root). */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EventStore } from '@hru/application';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { anchorSinkFor } from './anchor-sink.js';
import { IntegrityMonitor } from './monitor.js';
import { canVerifyChains } from './report.js';

export function integrityStateFile(dataDir: string): string {
  return join(dataDir, 'integrity-state.json');
}

/** The default sink when HRU_ANCHOR_SINK is unset: beside the log, which stops only a careless tamperer. */
export function defaultAnchorSink(dataDir: string): string {
  return pathToFileURL(join(resolve(dataDir), 'anchors.jsonl')).href;
}

export function createIntegrityMonitor(store: EventStore, config: Config, logger: Logger): IntegrityMonitor | undefined {
  if (!canVerifyChains(store)) return undefined;
  if (!config.anchorSink) {
    logger.warn('HRU_ANCHOR_SINK is unset: the log digest is anchored in the data dir (anchors.jsonl), where whoever can rewrite the log can rewrite it too; set it to a file on another mount or a webhook');
  }
  return new IntegrityMonitor({
    store,
    stateFile: integrityStateFile(config.dataDir),
    sink: anchorSinkFor(config.anchorSink ?? defaultAnchorSink(config.dataDir), config.alertWebhookSecret),
    verifyIntervalMs: config.verifyIntervalMs,
    anchorIntervalMs: config.anchorIntervalMs,
    fullVerifyIntervalMs: config.fullVerifyIntervalMs,
    webhookUrls: config.alertWebhookUrls,
    webhookSecret: config.alertWebhookSecret,
    logger: logger.child({ part: 'integrity' }),
  });
}
