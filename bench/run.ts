import { benchCreation } from './creation.js';
import { benchManagement } from './management.js';
import { benchPluginHost } from './plugin-host.js';
import { benchSandbox } from './sandbox.js';

// `npm run bench` runs all; `npm run bench -- management`, `-- creation`, `-- sandbox` or `-- plugin-host` runs one.
const only = process.argv[2];
console.log(`# plugin-dynamic benchmarks (Node ${process.versions.node}, ${new Date().toISOString()})`);
if (!only || only === 'management') await benchManagement();
if (!only || only === 'creation') await benchCreation();
if (!only || only === 'sandbox') await benchSandbox();
if (!only || only === 'plugin-host') await benchPluginHost();
process.exit(process.exitCode ?? 0);
