/** Every kind of legal measure by name: the one table the decider, the fold and the views look kinds up in. */
import type { MeasureKind } from '@hru/events';
import { transition, type AnyStateMachine } from 'xstate';
import { bail } from './bail.js';
import { disclosureScheme } from './disclosure-scheme.js';
import { dvpo } from './dvpo.js';
import type { MeasureKindSpec } from './measure-kind.js';
import { mappa } from './mappa.js';
import { spo } from './spo.js';

export const measureKindSpecs: { [K in MeasureKind]: MeasureKindSpec<K> } = {
  spo,
  dvpo,
  bail,
  mappa,
  disclosure_scheme: disclosureScheme,
};

export function measureKindSpec<K extends MeasureKind>(kind: K): MeasureKindSpec<K> {
  return measureKindSpecs[kind] as MeasureKindSpec<K>;
}

/**
 * The status a step takes a measure in `status` to, or undefined when the kind's machine does not allow the step
 * there. A pure question to the machine: resolve the status, take the step, compare.
 */
export function nextStatus(machine: AnyStateMachine, status: string, step: string): string | undefined {
  const snapshot = machine.resolveState({ value: status, context: undefined });
  if (!snapshot.can({ type: step })) return undefined;
  // xstate's own pure `transition` (a throwaway actor per call): measure steps are a few per case, unlike the
  // referral's events, so the scope trick of ../referral/pure-transition.ts is not worth it here.
  const [next] = transition(machine, snapshot, { type: step });
  return next.value as string;
}
