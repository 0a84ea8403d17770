/**
 * The throwaway PostgreSQL fixture: a real cluster on a free port that
 * answers `select 1`, creates databases, and leaves no process or dir behind.
 */
import { existsSync } from 'node:fs';
import pg from 'pg';
import { startPostgresServer, type PostgresTestServer } from '../fixtures/postgres-server.js';
import { isAlive, waitGone } from '../fixtures/process-alive.js';
import { forkWorker } from '../fixtures/process-worker.js';

describe('test/fixtures/postgres-server', () => {
  let server: PostgresTestServer;

  beforeAll(async () => {
    server = await startPostgresServer();
  }, 120_000);

  afterAll(() => server?.stop());

  async function query<T>(url: string, sql: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }

  it('answers select 1 over TCP on 127.0.0.1', async () => {
    expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
    expect(await query(server.url, 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('is PostgreSQL 15 or newer, with durability off', async () => {
    const [{ server_version_num }] = await query<{ server_version_num: string }>(
      server.url,
      'show server_version_num',
    );
    expect(Number(server_version_num)).toBeGreaterThanOrEqual(150000);
    expect(await query(server.url, 'show fsync')).toEqual([{ fsync: 'off' }]);
  });

  it('listens on a unix socket in its temp dir too', async () => {
    const client = new pg.Client({ host: server.socketDir, port: server.port, user: 'postgres' });
    await client.connect();
    try {
      expect((await client.query('select 2 as two')).rows).toEqual([{ two: 2 }]);
    } finally {
      await client.end();
    }
  });

  it('creates databases and returns their URL', async () => {
    const url = await server.createDatabase('fixture_check');
    expect(url).toBe(server.urlFor('fixture_check'));
    expect(await query(url, 'select current_database() as db')).toEqual([{ db: 'fixture_check' }]);
    await expect(server.createDatabase('bad; drop')).rejects.toThrow(TypeError);
  });

  it('stops, removes its dir and refuses connections afterwards', async () => {
    const other = await startPostgresServer();
    expect(existsSync(other.socketDir)).toBe(true);
    await other.stop();
    expect(existsSync(other.socketDir)).toBe(false);
    await expect(query(other.url, 'select 1')).rejects.toThrow(/ECONNREFUSED/);
    await other.stop();
  }, 120_000);

  it('dies with the process that started it, even one killed with SIGKILL', async () => {
    const owner = await forkWorker(new URL('../fixtures/server-owner-worker.ts', import.meta.url));
    const other = await owner.call<{ pid: number; port: number; dir: string }>('postgres');
    expect(isAlive(other.pid)).toBe(true);
    await owner.kill('SIGKILL');
    expect(await waitGone(other.pid, 10_000)).toBe(true);
    await expect(
      query(`postgres://postgres@127.0.0.1:${other.port}/postgres`, 'select 1'),
    ).rejects.toThrow(/ECONNREFUSED/);
    // The dead owner's temp dir is swept by the next cluster started.
    expect(existsSync(other.dir)).toBe(true);
    const next = await startPostgresServer();
    await next.stop();
    expect(existsSync(other.dir)).toBe(false);
  }, 120_000);
});
