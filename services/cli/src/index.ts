export { runStart } from './commands/start.js';
export { runToken } from './commands/token.js';
