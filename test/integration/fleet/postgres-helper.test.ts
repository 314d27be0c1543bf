import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startPostgres } from '../../helpers/postgres.js';

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

describe('the private PostgreSQL cluster of the tests', () => {
  it('answers on a unix socket in its own folder, not on TCP, and leaves nothing behind', async () => {
    const cluster = await startPostgres();
    try {
      const socketFiles = await readdir(cluster.socketDir);
      expect(socketFiles).toContain('.s.PGSQL.5432');
      const [row] = await query(cluster.url, "SELECT current_setting('listen_addresses') AS listen, current_setting('unix_socket_directories') AS socket");
      expect(row).toEqual({ listen: '', socket: cluster.socketDir });
      const other = await cluster.createDatabase('second');
      expect(await query(other, 'SELECT current_database() AS db')).toEqual([{ db: 'second' }]);
    } finally {
      await cluster.stop();
    }
    expect(existsSync(cluster.socketDir)).toBe(false);
    await expect(query(cluster.url, 'SELECT 1')).rejects.toThrow();
  });

  it('runs two clusters side by side, each in its own folder', async () => {
    const [a, b] = await Promise.all([startPostgres(), startPostgres()]);
    try {
      expect(a.socketDir).not.toBe(b.socketDir);
      await query(a.url, 'CREATE TABLE only_in_a (x int)');
      const tables = await query(b.url, "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'only_in_a'");
      expect(tables).toEqual([{ n: 0 }]);
      expect(existsSync(join(a.socketDir, 'data', 'PG_VERSION'))).toBe(true);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
