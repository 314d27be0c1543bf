import pg from 'pg';
import { codedError, PluginDynamicError } from '../errors.js';

/** plugin-dynamic's own tables (job records, stored builds); pg-boss keeps its queue in BOSS_SCHEMA. */
export const FLEET_SCHEMA = 'plugin_dynamic_fleet';
export const BOSS_SCHEMA = 'plugin_dynamic_boss';
/** How long a connection attempt or one statement may take. */
const CONNECT_TIMEOUT_MS = 10_000;
const STATEMENT_TIMEOUT_MS = 60_000;

/** Where a PostgreSQL URL points, without its password: host (or socket folder) and database. */
export function describeDatabase(url: string): string {
  try {
    // A socket URL has no host part (postgresql://user@/db?host=/run/postgresql), which URL refuses.
    const parsed = new URL(url.replace(/^(postgres(?:ql)?:\/\/[^/]*@)\//, '$1localhost/').replace(/^(postgres(?:ql)?:\/\/)\//, '$1localhost/'));
    const host = parsed.searchParams.get('host') ?? parsed.hostname;
    return `${host}${parsed.port ? `:${parsed.port}` : ''}/${parsed.pathname.replace(/^\//, '') || 'postgres'}`;
  } catch {
    return 'the given URL (unparsable)';
  }
}

/** SQLSTATE classes that mean "cannot reach or log in", and the one for a missing privilege. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', '3D000', '28P01', '28000', '57P03']);
const DENIED_CODE = '42501';

function pgCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Any low-level connection failure as FLEET_DATABASE_UNREACHABLE; our own errors pass through. */
export function unreachable(url: string, error: unknown): PluginDynamicError {
  if (error instanceof PluginDynamicError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return codedError('FLEET_DATABASE_UNREACHABLE', { where: describeDatabase(url), reason: reason.replace(/\.$/, '') }, { cause: error });
}

/** A missing privilege as FLEET_SCHEMA_DENIED; anything else as unreachable. */
export function schemaError(url: string, schema: string, error: unknown): PluginDynamicError {
  if (pgCode(error) === DENIED_CODE) {
    const reason = error instanceof Error ? error.message : String(error);
    return codedError('FLEET_SCHEMA_DENIED', { where: describeDatabase(url), schema, reason }, { cause: error });
  }
  return unreachable(url, error);
}

export function isUnreachableError(error: unknown): boolean {
  const code = pgCode(error);
  return code !== undefined && UNREACHABLE_CODES.has(code);
}

/**
 * A bounded pool on the fleet's database, checked by one round trip: an unreachable server, a wrong
 * database or a refused login is FLEET_DATABASE_UNREACHABLE here, not a hang later.
 */
export async function openFleetPool(url: string, max: number): Promise<pg.Pool> {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: 'plugin-dynamic',
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw unreachable(url, error);
  }
  return pool;
}

/**
 * Creates the fleet's tables once (serialised by a transaction lock, so agents and workers that
 * start together do not race): job records with their claim, and stored builds.
 */
export async function ensureFleetSchema(pool: pg.Pool, url: string): Promise<void> {
  const client = await pool.connect().catch((error: unknown) => {
    throw unreachable(url, error);
  });
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('plugin-dynamic:fleet-schema'))");
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${FLEET_SCHEMA}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${FLEET_SCHEMA}.jobs (
      id uuid PRIMARY KEY,
      agent_id text NOT NULL,
      record jsonb NOT NULL,
      boss_id uuid,
      worker text,
      attempt integer NOT NULL DEFAULT 0,
      cancel_requested boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now())`);
    // The accepted sources of the job's last iteration, for a retry to start from (see job-sources.ts).
    await client.query(`ALTER TABLE ${FLEET_SCHEMA}.jobs ADD COLUMN IF NOT EXISTS sources jsonb`);
    await client.query(`CREATE INDEX IF NOT EXISTS jobs_agent_created ON ${FLEET_SCHEMA}.jobs (agent_id, created_at)`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${FLEET_SCHEMA}.builds (
      package_name text NOT NULL,
      sha256 text NOT NULL,
      job_id uuid NOT NULL,
      agent_id text NOT NULL,
      description text NOT NULL,
      tarball bytea NOT NULL,
      metadata jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (package_name, sha256))`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw schemaError(url, FLEET_SCHEMA, error);
  } finally {
    client.release();
  }
}
