import { spawnSync } from 'node:child_process';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import pg from 'pg';

/** A PostgreSQL cluster of a test's own: a temp folder, a unix socket in it, no TCP, no system service. */
export interface PrivateCluster {
  /** `postgresql://postgres@/postgres?host=<socket folder>`: what POSTGRES_URL is set to. */
  url: string;
  /** The same server, another database (created by `createDatabase`). */
  urlFor: (database: string) => string;
  socketDir: string;
  createDatabase: (name: string) => Promise<string>;
  /** A role without the right to create schemas, and its URL (the permission error's test). */
  createRestrictedRole: (name: string, database: string) => Promise<string>;
  /** Stops the server (immediately) and removes its folder. Idempotent. */
  stop: () => Promise<void>;
}

const COMMAND_TIMEOUT_MS = 60_000;
/** Debian's postgresql user; `nobody` on a system without it. initdb refuses to run as root. */
const UNPRIVILEGED = ['postgres', 'nobody'];

/** The folder of initdb and pg_ctl: Debian's /usr/lib/postgresql/<newest>/bin, else PATH. */
async function binDir(): Promise<string> {
  const root = '/usr/lib/postgresql';
  const versions = (await readdir(root).catch(() => [] as string[]))
    .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  if (versions[0]) return join(root, versions[0], 'bin');
  const found = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (found) return join(found, '..');
  throw new Error('PostgreSQL is not installed: run `scripts/setup-system.sh test` (it installs Debian\'s postgresql).');
}

/** As root, the uid and gid the cluster runs under; as anyone else, nothing (they run it themselves). */
function unprivilegedIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of UNPRIVILEGED) {
    const line = spawnSync('getent', ['passwd', name], { encoding: 'utf8' }).stdout.trim();
    const [, , uid, gid] = line.split(':');
    if (uid && gid) return { uid: Number(uid), gid: Number(gid) };
  }
  throw new Error('Running as root and no unprivileged user (postgres or nobody) exists for initdb.');
}

function command(bin: string, args: string[], ids: { uid: number; gid: number } | undefined): [string, string[]] {
  if (!ids) return [bin, args];
  return ['setpriv', [`--reuid=${ids.uid}`, `--regid=${ids.gid}`, '--clear-groups', '--', bin, ...args]];
}

async function run(bin: string, args: string[], ids: { uid: number; gid: number } | undefined): Promise<void> {
  const [file, argv] = command(bin, args, ids);
  await execa(file, argv, { timeout: COMMAND_TIMEOUT_MS, maxBuffer: 1024 * 1024, env: { LC_ALL: 'C', LANG: 'C' }, extendEnv: false, stdin: 'ignore' });
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * plugin-sql's migrations declare vector(N) columns (pgvector), which Debian 12 does not package.
 * When the real extension is not available, a stand-in `vector` type is declared from PostgreSQL's own
 * text input/output and varchar's length modifier: the tables are created and rows without embeddings
 * work; similarity search (the `<=>` operator) does not, and no test here uses it.
 */
const VECTOR_STAND_IN = `
  CREATE TYPE vector;
  CREATE FUNCTION vector_in(cstring, oid, integer) RETURNS vector LANGUAGE internal IMMUTABLE STRICT AS 'textin';
  CREATE FUNCTION vector_out(vector) RETURNS cstring LANGUAGE internal IMMUTABLE STRICT AS 'textout';
  CREATE FUNCTION vector_typmod_in(cstring[]) RETURNS integer LANGUAGE internal IMMUTABLE STRICT AS 'varchartypmodin';
  CREATE TYPE vector (INPUT = vector_in, OUTPUT = vector_out, TYPMOD_IN = vector_typmod_in, INTERNALLENGTH = VARIABLE, STORAGE = extended);`;

async function provideVector(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const available = await client.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
    await client.query(available.rowCount ? 'CREATE EXTENSION IF NOT EXISTS vector' : VECTOR_STAND_IN);
  } finally {
    await client.end();
  }
}

/**
 * Starts a private cluster: initdb into a temp folder, then pg_ctl with the socket in that folder and
 * TCP off. As root, both run as an unprivileged user (setpriv) who owns the folder. The cluster is
 * stopped on `stop()` and, should a test crash before that, when the process exits.
 */
export async function startPostgres(): Promise<PrivateCluster> {
  const bin = await binDir();
  const ids = unprivilegedIds();
  const dir = await mkdtemp(join(tmpdir(), 'pd-pg-'));
  if (ids) await chown(dir, ids.uid, ids.gid);
  const data = join(dir, 'data');
  const pgCtl = join(bin, 'pg_ctl');
  let stopped = false;
  const stopNow = (): void => {
    if (stopped) return;
    stopped = true;
    const [file, argv] = command(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop'], ids);
    spawnSync(file, argv, { timeout: COMMAND_TIMEOUT_MS, stdio: 'ignore' });
    spawnSync('rm', ['-rf', dir], { timeout: COMMAND_TIMEOUT_MS });
  };
  process.once('exit', stopNow);
  try {
    await run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], ids);
    const options = `-k ${dir} -c listen_addresses='' -c fsync=off -c max_connections=200`;
    await run(pgCtl, ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start'], ids);
  } catch (error) {
    stopNow();
    process.off('exit', stopNow);
    throw error;
  }
  const urlFor = (database: string): string => `postgresql://postgres@/${database}?host=${encodeURIComponent(dir)}`;
  const url = urlFor('postgres');
  await provideVector(url);
  return {
    url,
    urlFor,
    socketDir: dir,
    createDatabase: async (name) => {
      await adminQuery(url, `CREATE DATABASE "${name}"`);
      await provideVector(urlFor(name));
      return urlFor(name);
    },
    createRestrictedRole: async (name, database) => {
      await adminQuery(url, `CREATE ROLE "${name}" LOGIN`);
      await adminQuery(urlFor(database), `REVOKE CREATE ON SCHEMA public FROM PUBLIC; REVOKE CREATE ON DATABASE "${database}" FROM PUBLIC`);
      return `postgresql://${name}@/${database}?host=${encodeURIComponent(dir)}`;
    },
    stop: async () => {
      stopNow();
      process.off('exit', stopNow);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
