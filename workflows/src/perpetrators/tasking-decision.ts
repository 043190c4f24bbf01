/**
 * The tasking meeting's decision about a perpetrator (adopt for targeting, not adopt, defer): a pure decider over
 * the stream of that meeting's decision about that perpetrator (`taskingStreamFor`). One decision per perpetrator per meeting: a second one is refused, so
 * the record of what the meeting decided cannot be overwritten quietly. The decision records the score and the
 * configuration version the meeting was shown; it does nothing else. An adopted perpetrator's plan is agreed on
 * their referral through the plan commands, by people (DPA 2018 Part 3 ss49-50: no decision by automated means).
 */
import { z } from 'zod';
import {
  CommandNotAllowedError,
  isoDateSchema,
  partyIdSchema,
  reasonSchema,
  taskingAttendeesSchema,
  taskingDecisionSchema,
  type DataOf,
  type TaskingDecisionRecorded,
} from '@hru/events';

export const taskingDecisionPayloadSchema = z.strictObject({
  meetingOn: isoDateSchema.describe('The date of the meeting'),
  partyId: partyIdSchema.describe('The perpetrator as the list named them (their canonical party id)'),
  decision: taskingDecisionSchema,
  reason: reasonSchema.describe('Why: kept under personal, erasable'),
  attendees: taskingAttendeesSchema.describe('Who attended, by agency'),
  score: z.number().min(0).max(1_000_000).describe('The RFG(V) score the meeting was shown'),
  configVersion: z.string().regex(/^[A-Za-z0-9._@-]{1,100}$/).describe('The scoring configuration version of that score'),
});
export type TaskingDecisionPayload = z.output<typeof taskingDecisionPayloadSchema>;

export interface TaskingMeetingState {
  /** Perpetrators the meeting has decided about. */
  decided: ReadonlySet<string>;
}

export const initialTaskingMeetingState: TaskingMeetingState = { decided: new Set() };

export type TaskingEvent = { type: 'TaskingDecisionRecorded'; data: DataOf<typeof TaskingDecisionRecorded> };

export function evolveTaskingMeeting(state: TaskingMeetingState, event: { type: string; data: unknown }): TaskingMeetingState {
  if (event.type !== 'TaskingDecisionRecorded') return state;
  return { decided: new Set([...state.decided, (event.data as { partyId: string }).partyId]) };
}

export function decideTasking(state: TaskingMeetingState, payload: TaskingDecisionPayload): TaskingEvent[] {
  if (state.decided.has(payload.partyId)) {
    throw new CommandNotAllowedError(
      'record-tasking-decision',
      'decided',
      [],
      `The meeting of ${payload.meetingOn} has already recorded its decision about ${payload.partyId}`,
    );
  }
  const { reason, ...facts } = payload;
  // The perpetrator named (id only) beside the reason: the stream is one of their cases, erased with them.
  return [{ type: 'TaskingDecisionRecorded', data: { ...facts, personal: { reason, people: [{ partyId: payload.partyId }] } } }];
}
