/** Logs through the production logger, then ends at once the way given (logger.spec.ts): no line may be lost. */
import { createLogger } from '@hru/infra';

const logger = createLogger({ name: 'spec' });
for (let i = 0; i < 200; i++) logger.info({ i }, 'line');
if (process.argv[2] === 'throw') throw new Error('crashed after logging');
process.exit(0);
