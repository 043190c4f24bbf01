/** `fillSealedLogApart`'s child: node … fill-sealed-log.ts DIR FILE EVENTS. */
import { fillSealedLog } from './sealed-log.js';

const [dir, file, events] = process.argv.slice(2);
if (!dir || !file || !events) throw new Error('usage: fill-sealed-log.ts DIR FILE EVENTS');
await fillSealedLog(dir, file, Number(events));
