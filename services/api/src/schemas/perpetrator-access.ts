/**
 * Who reads and acts on perpetrators (issue #21). A perpetrator's page joins referrals across cases, so only the
 * owning force's staff read it: a partner agency reads the cases it is party to, not a person's whole history. The
 * ranking is owning-force casework too; the tasking meeting's partners see it in the meeting pack the force shares.
 */
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, UnavailableError, type Role } from '@hru/events';
import { RankingScorer, rfgConfigFrom, type RankingState, type RfgConfig, type ScoringProgress } from '@hru/projections';
import { requirePrincipal } from '../plugins/access-control.js';
import type { ApiDeps } from '../deps.js';
import { ofOwningForce } from './read-access.js';

/** Caseworkers read the ranking and perpetrators' pages. */
export const perpetratorReaders: readonly Role[] = ['supervisor', 'officer', 'psychologist', 'clinician', 'victim_advocate', 'probation'];
/** Linking two ids as one person is an investigative judgement: police roles. */
export const perpetratorLinkers: readonly Role[] = ['supervisor', 'officer'];
/** The tasking meeting's decision is recorded by its chair. */
export const taskingDeciders: readonly Role[] = ['supervisor'];
/** Whether tasking works: those who report the unit's results and those who check them. */
export const taskingOutcomeReaders: readonly Role[] = ['supervisor', 'officer', 'auditor'];

/**
 * A route hook (preValidation: after the role check, before the body and query are validated), so that staff of a
 * partner agency are told 403 whatever they send, as a role the route does not admit is.
 */
export function owningForceOnly(deps: ApiDeps): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    const principal = requirePrincipal(request);
    if (!ofOwningForce(deps, principal)) {
      throw new ForbiddenError(`Perpetrators are read and decided by staff of the owning force (${deps.config.owningAgency}) only`);
    }
  };
}

/** The scorer of a read-model database: one per process, shared by every route that reads the ranking. */
const scorers = new WeakMap<object, RankingScorer>();

/**
 * The score configuration of this process, the ranking's state (scoring the new day if it is quick, starting it in
 * the background if not), and `scoreUpToDate`, which returns the day the served ranking is scored for: today, or
 * while the new day is scored in the background the day before. With no ranking at all under this configuration
 * yet (after a rebuild, while everyone is scored) it answers 503.
 */
export function perpetratorRanking(
  deps: ApiDeps,
  log?: { error(details: object, message: string): void },
): { config: RfgConfig; state(): RankingState; scoreUpToDate(): string } {
  let scorer = scorers.get(deps.readModels);
  if (!scorer) {
    // A slice that fails ends its job; the next read starts it again.
    const onError = (error: unknown) => log?.error({ err: error }, 'perpetrators: scoring in the background failed (the next read starts again)');
    scorer = new RankingScorer(deps.readModels, rfgConfigFrom(deps.config.rfgJson), { onError });
    scorers.set(deps.readModels, scorer);
  }
  const shared = scorer;
  const state = () => shared.upToDate(deps.now().toISOString().slice(0, 10));
  return {
    config: shared.config,
    state,
    scoreUpToDate() {
      const { asOf } = state();
      if (asOf === undefined) throw rankingUnavailable(shared.progress());
      return asOf;
    },
  };
}

/** Retry-After bounds while the ranking is scored: not a poll in a tight loop, not a wait past the likely end. */
const RETRY_MIN_SECONDS = 1;
const RETRY_MAX_SECONDS = 300;
/** Before any person is scored there is no rate to go by. */
const RETRY_UNKNOWN_SECONDS = 5;

/**
 * The 503 while there is no ranking: how far the scoring has come, and when to ask again (the people left at the
 * rate scored so far). Counts only: the caller learns nothing about anyone.
 */
export function rankingUnavailable(progress: ScoringProgress | undefined): UnavailableError {
  if (!progress || progress.people === undefined) {
    return new UnavailableError('The ranking is being scored (after a rebuild or a change of HRU_RFG): counting the people to score', {
      retryAfterSeconds: RETRY_UNKNOWN_SECONDS,
      details: { scored: progress?.scored ?? 0, people: null },
    });
  }
  const { scored, people, elapsedMs } = progress;
  const left = Math.max(people - scored, 0);
  const estimate = scored > 0 ? (left * elapsedMs) / scored / 1000 : RETRY_UNKNOWN_SECONDS;
  return new UnavailableError(`The ranking is being scored (after a rebuild or a change of HRU_RFG): ${scored} of ${people} people`, {
    retryAfterSeconds: Math.min(RETRY_MAX_SECONDS, Math.max(RETRY_MIN_SECONDS, estimate)),
    details: { scored, people },
  });
}

export interface Timers {
  /** Returns the timer (Node's has `unref`). */
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

/**
 * Runs `run` a few seconds after each UTC midnight, by the given clock, until stopped. The timer does not keep the
 * process alive. `timers` is for tests, which count the runs instead of waiting for midnight.
 */
export function afterEachMidnight(now: () => Date, run: () => void, timers: Timers = globalThis): () => void {
  const DAY = 86_400_000;
  let timer: unknown;
  let stopped = false;
  const schedule = () => {
    const at = now().getTime();
    timer = timers.setTimeout(() => {
      if (stopped) return;
      run();
      schedule();
    }, Math.floor(at / DAY + 1) * DAY + 5_000 - at);
    (timer as { unref?: () => void }).unref?.();
  };
  schedule();
  return () => {
    stopped = true;
    timers.clearTimeout(timer);
  };
}
