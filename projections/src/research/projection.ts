/**
 * The research extract's read model: each case's fold kept as the log's builder would fold it, with its ids
 * pseudonymised under the pseudonym key, so the extract for a month reads its page's rows rather than the period's
 * streams from the log (2 s a month at a national year). The key is configuration (HRU_PSEUDONYM_KEY or the data
 * dir's), so the model is built from it, like the alerts model from its receivers; the read checks the key's
 * fingerprint the rows were made with (`research_key`) and reads the log instead when it differs.
 *
 * Erasure and disposal: the fold takes `PartyErased` and `RetentionReviewed` as the log's fold does, so the
 * erased people leave the rows' pseudonym columns and the case reads as disposed. The model holds nothing personal
 * to purge: the fold keeps an erased person's keyed pseudonym among its erased parties (as the log keeps their
 * party id), only so that a later update naming them still leaves them out.
 */
import type Database from 'better-sqlite3';
import { referralEventDefinitions, type ReferralEvent } from '@hru/events';
import {
  foldFromJson,
  foldPseudonymisedCase,
  foldPseudonyms,
  foldToJson,
  presetPseudonyms,
  renderCase,
  startPseudonymisedCase,
  type FoldedCase,
} from '@hru/workflows';
import { defineProjection, type ProjectedEvent } from '../framework/projection.js';
import { statement } from '../framework/statements.js';
import { RESEARCH_PROJECTION, RESEARCH_VERSION, researchSchema, researchTables } from './schema.js';

export interface ResearchProjectionSettings {
  /** The pseudonym key (HRU_PSEUDONYM_KEY or the generated one): the extract must read with the same key. */
  pseudonymKey: Uint8Array;
}

/** Every referral event: the fold decides what each changes (most change a count). */
const researchEventTypes = referralEventDefinitions.map((definition) => definition.type);

/** Cases a rebuild holds folded in memory before it writes them (bounded memory; rows wait only this long). */
const HELD_CASES = 4_000;

export function researchProjection(settings: ResearchProjectionSettings) {
  const ids = foldPseudonyms(settings.pseudonymKey);

  const read = (db: Database.Database, casePseudonym: string) => {
    const row = statement<[string], { fold: string }>(db, 'SELECT fold FROM research_cases WHERE case_pseudonym = ?').get(casePseudonym);
    return row ? foldFromJson(row.fold) : undefined;
  };
  // The fold's ids are pseudonyms already: its rows are rendered with the pseudonyms as they stand.
  const rowPseudonyms = presetPseudonyms(ids.keyId);
  // A stored fold's `referralId` is the case's pseudonym (./pseudonymised-fold.ts in @hru/workflows). Its rows are
  // rendered here, once a change of the fold, so that a page of the extract is joins of stored text (./queries.ts).
  const write = (db: Database.Database, folded: FoldedCase, json: string) => {
    const { caseRow, interventionLines } = renderCase(folded, rowPseudonyms);
    statement(
      db,
      `INSERT INTO research_cases (case_pseudonym, received_month, fold, case_row, intervention_rows) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (case_pseudonym) DO UPDATE SET fold = excluded.fold, case_row = excluded.case_row, intervention_rows = excluded.intervention_rows`,
    ).run(folded.referralId, folded.receivedMonth, json, caseRow, interventionLines);
  };

  /** The event folded into `folded` (or a new case); undefined for an event of a case the model never started. */
  const fold = (folded: FoldedCase | undefined, event: ReferralEvent): FoldedCase | undefined => {
    if (event.type === 'ReferralReceived') return folded ?? startPseudonymisedCase(event, ids);
    if (folded) foldPseudonymisedCase(folded, event, ids);
    return folded;
  };
  const recordKey = (db: Database.Database) => statement(db, 'INSERT OR IGNORE INTO research_key (id, key_id) VALUES (1, ?)').run(ids.keyId);

  return defineProjection({
    name: RESEARCH_PROJECTION,
    version: RESEARCH_VERSION,
    eventTypes: researchEventTypes,
    tables: researchTables,
    schema: researchSchema,
    // Each event changes its own case's row only, but the key is configuration: the rebuild's worker threads build
    // read models by name, without it, so a rebuild loads this one in its one pass with the alerts model.
    splitsByStream: false,
    apply(db, event) {
      const before = statement<[string], { fold: string }>(db, 'SELECT fold FROM research_cases WHERE case_pseudonym = ?').get(ids.case(event.data.referralId))?.fold;
      if (event.type === 'ReferralReceived') {
        if (before !== undefined) return; // applied already
        recordKey(db);
      }
      const folded = fold(before === undefined ? undefined : foldFromJson(before), asReferralEvent(event));
      if (!folded) return;
      const after = foldToJson(folded);
      if (after !== before) write(db, folded, after);
    },
    shadowApplier(db) {
      // Folded cases held by referral id (their pseudonym is one HMAC away), written once per flush, not per event.
      const held = new Map<string, FoldedCase | undefined>();
      const flush = () => {
        for (const folded of held.values()) if (folded) write(db, folded, foldToJson(folded));
        held.clear();
      };
      return {
        apply(event) {
          const referralId = event.data.referralId;
          let folded = held.get(referralId);
          if (!held.has(referralId)) {
            if (held.size >= HELD_CASES) flush();
            folded = read(db, ids.case(referralId));
          }
          if (event.type === 'ReferralReceived') {
            if (folded) return; // applied already
            recordKey(db);
          }
          held.set(referralId, fold(folded, asReferralEvent(event)));
        },
        flush,
      };
    },
  });
}

/** The fold reads the data and `occurredAt`, which the projected event carries as the log's event does. */
const asReferralEvent = (event: ProjectedEvent) => event as unknown as ReferralEvent;
