/** What the retention model keeps of an intake's classification, as `apply` and the rebuild's applier both write it. */
import type { Offence, RiskIndicator } from '@hru/events';

export const principalCode = (offences: readonly Offence[]) => offences.find((o) => o.principal)?.code ?? null;
export const indicatorsJson = (indicators: readonly RiskIndicator[]) => JSON.stringify([...new Set(indicators)].sort());
