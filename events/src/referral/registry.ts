/** Every referral event type, and the registry that parses them. Add each new event definition here. */
import type { EventOf } from '../envelope.js';
import { EventRegistry } from '../registry.js';
import { ReferralClosed, ReferralReceived, ScreeningCompleted, TriageCompleted, UrgentActionRaised } from './events.js';

export const referralEventDefinitions = [
  ReferralReceived,
  TriageCompleted,
  ScreeningCompleted,
  UrgentActionRaised,
  ReferralClosed,
] as const;

export type ReferralEvent = EventOf<(typeof referralEventDefinitions)[number]>;

export const eventRegistry = new EventRegistry(referralEventDefinitions);
