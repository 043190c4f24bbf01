/**
 * The retention review (MoPI, see ../retention/mopi-table.ts): a closed case, once its review falls due, is
 * retained until a next review or disposed of. Disposal names every party of the case, whose keys (and the case's)
 * are then destroyed; the stream keeps its non-personal facts, so statistics and the hash chains stay whole.
 *
 * Only the data protection officer reviews: disposal cannot be undone, and it is the role that answers for the
 * force's records (DOMAIN.md §7). Supervisors see the queue (GET /v1/retention/due) to bring risk knowledge to a
 * review, but do not decide it. Open cases are not reviewed (the machine offers the command only when closed):
 * the clear period starts at closure, and a case the unit still works has its policing purpose on its face.
 */
import { z } from 'zod';
import { isoDateSchema, partyIdSchema, reasonSchema } from '@hru/events';
import { draft } from '../referral/decision.js';
import type { ReferralState } from '../referral/referral-state.js';
import { defaultRetentionTable, mayDispose, mopiGroupOf, reviewDueFrom, type RetentionFacts } from '../retention/mopi-table.js';
import { defineCommand } from './command.js';

export function retentionFactsOf(state: ReferralState): RetentionFacts {
  return {
    problemBehaviour: state.problemBehaviour,
    principalOffenceCode: state.offences.find((o) => o.principal)?.code ?? null,
    indicators: state.indicators,
    services: state.services.map((s) => s.service),
  };
}

/** Every party of the case, by id: the parties list and the people named under `personal`, each once. */
function partiesOf(state: ReferralState): string[] {
  return [...new Set([...state.parties.map((p) => p.partyId), ...state.personal.people.map((p) => p.partyId)])];
}

export const reviewRetentionPayloadSchema = z.discriminatedUnion('decision', [
  z.strictObject({
    decision: z.literal('retain'),
    reason: reasonSchema,
    nextReviewDue: isoDateSchema.optional().describe('Default: today plus the review period of the case’s MoPI group'),
  }),
  z.strictObject({ decision: z.literal('dispose'), reason: reasonSchema }),
]);

export const reviewRetention = defineCommand({
  summary: 'Review retention (MoPI): retain until a next review, or dispose of the case',
  roles: ['data_protection'],
  schema: reviewRetentionPayloadSchema,
  decide: ({ state, command }) => {
    const { payload, meta } = command;
    const table = meta.options.retentionTable ?? defaultRetentionTable;
    const mopiGroup = mopiGroupOf(table, retentionFactsOf(state));
    const today = meta.now.slice(0, 10);
    const referralId = state.referralId;
    switch (payload.decision) {
      case 'retain': {
        const nextReviewDue = payload.nextReviewDue ?? reviewDueFrom(table, mopiGroup, today);
        if (nextReviewDue <= today) return { rejected: `The next review must fall after today (${today})` };
        return [draft('RetentionReviewed', { referralId, decision: 'retain', mopiGroup, nextReviewDue, disposedParties: [], personal: { reason: payload.reason } })];
      }
      case 'dispose': {
        if (!mayDispose(table, mopiGroup)) {
          return { rejected: `A MoPI group ${mopiGroup} case is retained (group 1: until the subject is deemed 100); its review cannot dispose of it` };
        }
        const disposedParties = partiesOf(state);
        const odd = disposedParties.find((id) => !partyIdSchema.safeParse(id).success);
        if (odd !== undefined) return { rejected: `Party ${odd} has no party id of the form pty-…: its key cannot be named for destruction` };
        if (disposedParties.length > 20) return { rejected: 'The case names more than 20 parties: too many to dispose of in one event' };
        return [draft('RetentionReviewed', { referralId, decision: 'dispose', mopiGroup, nextReviewDue: null, disposedParties, personal: { reason: payload.reason } })];
      }
      default: {
        const never: never = payload;
        throw new Error(`unknown retention decision ${JSON.stringify(never)}`);
      }
    }
  },
});
