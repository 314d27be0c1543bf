import { benchCreation } from './creation.js';
import { benchManagement } from './management.js';

// `npm run bench` runs both; `npm run bench -- management` or `-- creation` runs one.
const only = process.argv[2];
console.log(`# plugin-dynamic benchmarks (Node ${process.versions.node}, ${new Date().toISOString()})`);
if (!only || only === 'management') await benchManagement();
if (!only || only === 'creation') await benchCreation();
process.exit(process.exitCode ?? 0);
