/** The context a list gives of each case it names (no personal data): shared by the caseload, queues, deadlines and alerts. */
import { z } from 'zod';

export const caseContextShape = {
  crimeReference: z.string().nullable().describe('The source system’s crime reference (not personal data: it sits outside `personal`)'),
  offenceCode: z.string().nullable().describe('The principal offence’s Home Office classification'),
  principalOffence: z.string().nullable().describe('The principal offence in words'),
  dashYesCount: z.number().int().nullable().describe('DASH yes-count of 27, when the source scored it'),
  indicators: z.array(z.string()).describe('Risk indicators at intake (`threats_to_kill`, `attending_address`, …)'),
};
