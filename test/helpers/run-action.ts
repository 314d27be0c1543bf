// The CLI's action runner is the one tests use too: one way to run an action like the runtime does.
export { runAction, type ActionRun } from '../../src/cli/run-action.js';
