/**
 * Server-Sent Events of urgent alerts, straight from the event log: each SSE id is a log position, so a client
 * that reconnects with Last-Event-ID continues exactly after the last alert it saw. A stream lives no longer
 * than the token that opened it (the client reconnects with a fresh one), and each subject may hold only a
 * few open at once.
 */
import type { RecordedEvent } from '@hru/application';
import { caseloadEventTypes, getAlert, readCheckpoint, type AlertRow } from '@hru/projections';
import type { ReferralView } from '@hru/workflows';
import { once } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimitedError } from '@hru/events';
import { requirePrincipal } from '../plugins/access-control.js';
import type { ApiDeps } from '../deps.js';
import type { StreamSlots } from './stream-slots.js';
import { mayRead, readsAll } from '../schemas/read-access.js';

const kinds: Record<string, string> = {
  UrgentActionRaised: 'raised',
  UrgentActionEscalated: 'escalated',
  UrgentActionAcknowledged: 'acknowledged',
  UrgentActionResolved: 'resolved',
};

/** Ends the streams still open; called by the routes' preClose hook so a shutdown can drain. */
export type OpenStreams = Set<() => void>;

/**
 * The case's context for a message: the read model's, or, while the caseload has not yet caught up with a case just
 * received (the alert is raised in the intake's own append, before the caseload's batch), the folded referral's.
 * Neither holds personal data: the crime reference, offence, DASH and indicators sit outside `personal`.
 */
function contextOf(known: AlertRow | undefined, view: ReferralView | undefined): AlertRow['context'] | null {
  if (known?.context.crimeReference || !view) return known?.context ?? null;
  const principal = view.offences.find((o) => o.principal);
  return {
    crimeReference: view.source?.crimeReference ?? null,
    offenceCode: principal?.code ?? null,
    principalOffence: principal?.description ?? null,
    dashYesCount: view.intakeRisk.dashYesCount ?? null,
    indicators: [...view.indicators],
    problemBehaviour: view.problemBehaviour,
    stage: view.stage,
    ownerSub: view.assignee?.sub ?? null,
  };
}

function toMessage(event: RecordedEvent, deps: ApiDeps, view: ReferralView | undefined): string {
  const data = event.data as Record<string, unknown>;
  const known = getAlert(deps.readModels, data.alertId as string);
  const level = (data.level as number | undefined) ?? (event.type === 'UrgentActionRaised' ? 0 : (known?.escalationLevel ?? 0));
  const tiers = deps.config.alertEscalationTiers;
  const body = {
    alertId: data.alertId,
    referralId: data.referralId,
    kind: kinds[event.type],
    level,
    tier: tiers[Math.min(level, tiers.length - 1)],
    // The reason is free text (personal data, under the event's `personal`): the stream carries its category only.
    raisedBy: (data.raisedBy as string | undefined) ?? known?.raisedBy ?? null,
    rules: (data.rules as string[] | undefined) ?? known?.rules ?? [],
    addressedTo: (data.addressedTo as string | undefined) ?? known?.addressedTo ?? null,
    raisedAt: event.type === 'UrgentActionRaised' ? event.metadata.occurredAt : (known?.raisedAt ?? null),
    at: event.metadata.occurredAt,
    // When it escalates next (null at the last level, and once acknowledged or resolved).
    ackDueAt:
      event.type === 'UrgentActionRaised' ? (data.ackDueAt ?? null) : event.type === 'UrgentActionEscalated' ? (data.nextAckDueAt ?? null) : null,
    context: contextOf(known, view),
  };
  return `id: ${event.position}\nevent: ${body.kind}\ndata: ${JSON.stringify(body)}\n\n`;
}

export interface StreamLimits {
  open: OpenStreams;
  slots: StreamSlots;
}

/**
 * With `changes`, the stream also says which cases' caseload rows changed (`changed`: the referral id and the event
 * type, nothing else), once the caseload model has applied the change, so a client reloading its queue or caseload
 * on it reads the change.
 */
async function caseloadCaughtUp(deps: ApiDeps, position: bigint): Promise<void> {
  for (let waited = 0; waited < 2_000; waited += 20) {
    if ((readCheckpoint(deps.readModels, 'caseload')?.position ?? -1n) >= position) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function changeMessage(event: RecordedEvent): string {
  const body = { referralId: (event.data as { referralId: string }).referralId, change: event.type };
  return `id: ${event.position}\nevent: changed\ndata: ${JSON.stringify(body)}\n\n`;
}

export async function streamAlerts(
  limits: StreamLimits,
  deps: ApiDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  after: bigint | undefined,
  options: { changes?: boolean } = {},
) {
  const { open } = limits;
  const principal = requirePrincipal(request);
  // Only staff reach this route; a source system's key has no expiry, so it would get no stream at all.
  const expiresAt = principal.kind === 'staff' ? principal.expiresAt : Date.now();
  const subject = principal.kind === 'staff' ? principal.sub : principal.system;
  const all = readsAll(deps, principal);
  // Supervisors hear every alert; the other caseworkers those addressed to one of their roles (as GET /v1/alerts).
  const roles: readonly string[] = principal.kind === 'staff' ? principal.roles : [];
  const hears = (addressedTo: string | null | undefined) => roles.includes('supervisor') || (addressedTo != null && roles.includes(addressedTo));
  const slot = limits.slots.take(subject);
  if (!slot) throw new RateLimitedError(`Too many live alert streams open for ${subject} (HRU_MAX_STREAMS_PER_SUBJECT); close one first`);
  const release = slot;
  let from: bigint;
  // Changes are live news only: a client (re)connecting reads its lists anew, so older changes are not replayed.
  let changesAfter = -1n;
  try {
    if (options.changes) changesAfter = await deps.store.headPosition();
    from = after ?? (await deps.store.headPosition());
  } catch (error) {
    release();
    throw error;
  }
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
    'x-request-id': request.id,
  });
  // An id at once: a client that drops before the first alert still reconnects from here, not from a new head.
  raw.write(`retry: 2000\nid: ${from}\n\n`);
  // Declared before the subscription starts: its handler can run before subscribeToAll returns.
  let ended = false;
  let subscription: { stop(): Promise<void> } | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let expiry: NodeJS.Timeout | undefined;
  function end() {
    if (ended) return;
    ended = true;
    if (heartbeat) clearInterval(heartbeat);
    clearTimeout(expiry);
    release();
    open.delete(end);
    void subscription?.stop();
    raw.end();
  }
  subscription = deps.store.subscribeToAll({
    from: { after: from },
    filter: { eventTypes: options.changes ? [...new Set([...Object.keys(kinds), ...caseloadEventTypes])] : Object.keys(kinds) },
    batchSize: 100,
    handle: async (events) => {
      for (const event of events) {
        if (ended || raw.destroyed) return;
        // The token's expiry is checked at each event, not only by the timer: nothing goes out after it.
        if (Date.now() >= expiresAt) return expire();
        const alertData = event.data as { alertId?: string; addressedTo?: string };
        const heard = event.type in kinds && hears(alertData.addressedTo ?? getAlert(deps.readModels, alertData.alertId ?? '')?.addressedTo ?? 'supervisor');
        // An alert not addressed to the caller still changes the case's urgency: with `changes`, it is a change.
        if (!heard && options.changes && (caseloadEventTypes as readonly string[]).includes(event.type)) {
          // A change of a case (an alert event is one too, and says so itself).
          if (event.position <= changesAfter) continue;
          if (!all) {
            const loaded = await deps.commands.load((event.data as { referralId: string }).referralId);
            if (loaded === undefined || !mayRead(deps, principal, loaded.view)) continue;
          }
          await caseloadCaughtUp(deps, event.position);
          if (ended || raw.destroyed) return;
          if (!raw.write(changeMessage(event))) await Promise.race([once(raw, 'drain'), once(raw, 'close')]);
          continue;
        }
        if (!heard) continue;
        const data = event.data as { alertId: string; addressedTo?: string };
        // Partner agency staff hear only of referrals they may read; a case the caseload has not caught up with yet
        // is read folded, for its context.
        const needsView = !all || !getAlert(deps.readModels, data.alertId)?.context.crimeReference;
        const loaded = needsView ? await deps.commands.load((event.data as { referralId: string }).referralId) : undefined;
        if (!all && (loaded === undefined || !mayRead(deps, principal, loaded.view))) continue;
        // A client that vanishes while we wait for 'drain' never drains: wait for either.
        if (!raw.write(toMessage(event, deps, loaded?.view))) await Promise.race([once(raw, 'drain'), once(raw, 'close')]);
      }
    },
    onError: (error) => {
      request.log.warn({ err: (error as Error).message }, 'alert stream subscription failed');
      end();
    },
  });
  // A comment, which clients ignore, saying why the stream ends; the client reconnects with a fresh token.
  function expire() {
    if (!ended && !raw.destroyed) raw.write(': token expired; reconnect with a fresh token\n\n');
    end();
  }
  if (ended) {
    void subscription.stop();
    return;
  }
  expiry = setTimeout(expire, Math.max(0, expiresAt - Date.now()));
  heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
  open.add(end);
  request.raw.on('close', end);
}
