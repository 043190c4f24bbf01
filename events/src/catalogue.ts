/**
 * The one registry of every event type the engine writes: referral lifecycle, access log, alert delivery,
 * integrity breaks.
 * Anything that reads the global log parses through it, so a type missing here is a type nobody can read.
 */
import { alertDeliveryEventDefinitions } from './alerts/delivery-events.js';
import { auditEventDefinitions } from './audit/events.js';
import { integrityEventDefinitions } from './audit/integrity-events.js';
import { EventRegistry } from './registry.js';
import { referralEventDefinitions } from './referral/registry.js';
import { perpetratorEventDefinitions } from './perpetrator/events.js';

export const allEventDefinitions = [...referralEventDefinitions, ...auditEventDefinitions, ...alertDeliveryEventDefinitions, ...integrityEventDefinitions, ...perpetratorEventDefinitions] as const;

export const eventRegistry = new EventRegistry(allEventDefinitions);
