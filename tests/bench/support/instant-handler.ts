/**
 * A command handler that answers every intake as a new referral without touching the store: it stands for the
 * handler when a bench prices the HTTP and plugin layer alone (http-layer.bench.ts, profile-intake.ts --layer).
 */
import type { ReferralCommandHandler } from '@hru/application';

export const instantHandler = {
  async handle() {
    return { created: true, events: [], revision: 0, view: { stage: 'received', urgentStatus: 'none' } };
  },
} as unknown as ReferralCommandHandler;
