export { sandboxBoundHit, bwrapSandbox, noSandbox, selectSandbox, bwrapWorks, type Sandbox, type SandboxPolicy } from './sandbox.js';
