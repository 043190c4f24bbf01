/** The behaviours of a new referral that make it a re-offence on their own (DOMAIN.md §5: stalking, harassment, DA). */
import type { ProblemBehaviour } from '@hru/events';

export const reoffenceBehaviours: readonly ProblemBehaviour[] = ['stalking', 'serial_domestic_abuse', 'querulance'];
