import { mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AgentRuntime, stringToUuid } from '@elizaos/core';
import sqlPlugin from '@elizaos/plugin-sql';
import { writeFileAtomic } from '../shared/atomic-file.js';
import { DB_TEMPLATE_DIR, installedStamp } from './db-template.js';

/**
 * `npm run build`'s last step: makes the migrated, empty database that a fresh data folder starts
 * from (db-template.ts). It runs plugin-sql's migrations on a new PGLite database, closes it
 * cleanly and keeps it with the versions that made it. Built beside the old template and renamed
 * into place. Usage: `node dist/cli/make-db-template.js [folder]`.
 */
async function makeTemplate(target: string): Promise<void> {
  const stamp = await installedStamp();
  if (!stamp) throw new Error('@elizaos/plugin-sql or @electric-sql/pglite is not installed: run npm ci first.');
  const building = `${target}.building-${process.pid}`;
  await rm(building, { recursive: true, force: true });
  await mkdir(building, { recursive: true });
  const runtime = new AgentRuntime({
    character: { name: 'db-template', bio: ['Makes the database template.'], settings: { PGLITE_DATA_DIR: join(building, 'db') } },
    agentId: stringToUuid('plugin-dynamic-db-template'),
  });
  try {
    await runtime.registerPlugin(sqlPlugin);
    await runtime.runPluginMigrations();
  } finally {
    await runtime.stop();
    // plugin-sql keeps its PGLite open after stop (one per process); close it so its files are whole.
    await runtime.adapter.close();
  }
  // A shut-down server's lock file is not part of the database.
  await rm(join(building, 'db', 'postmaster.pid'), { force: true });
  await writeFileAtomic(join(building, 'stamp.json'), `${JSON.stringify(stamp)}\n`);
  const old = `${target}.old-${process.pid}`;
  await rename(target, old).catch(() => undefined);
  await rename(building, target);
  await rm(old, { recursive: true, force: true });
}

// The folder to make it in: dist/db-template unless given (the tests make their own).
makeTemplate(resolve(process.argv[2] ?? DB_TEMPLATE_DIR)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`Could not make the database template: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
