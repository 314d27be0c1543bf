export { runAction, type ActionRun } from '../shared/eliza/run-action.js';
