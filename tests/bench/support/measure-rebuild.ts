/** `measureRebuildApart`'s child: node … measure-rebuild.ts DIR FILE EVENTS THREADS FLOOR_JSON. */
import { measureRebuild, printRebuildResult, type Floor } from './rebuild-measure.js';

const [dir, file, events, threads, floor] = process.argv.slice(2);
if (!dir || !file || !events || !threads || !floor) throw new Error('usage: measure-rebuild.ts DIR FILE EVENTS THREADS FLOOR_JSON');
printRebuildResult(await measureRebuild(dir, file, Number(events), JSON.parse(floor) as Floor, Number(threads)));
