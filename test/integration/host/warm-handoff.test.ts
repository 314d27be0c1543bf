import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginHost, type WarmHostOptions } from '../../../src/management/host/plugin-host.js';
import type { AgentFunctions } from '../../../src/management/host/protocol.js';
import { createWarmFolders, linkInstalledFolder, releaseWarmFolders, warmFoldersRoot, type WarmFolders } from '../../../src/management/host/warm-folders.js';
import { WarmHosts } from '../../../src/management/host/warm-hosts.js';
import { selectSandbox } from '../../../src/shared/sandbox/index.js';
import { hostProcessesOf, waitFor } from './host-processes.js';

const here = dirname(fileURLToPath(import.meta.url));
const PROBE = join(here, 'fixtures', 'plugin-warm-probe');
const bridge: AgentFunctions = { forward: async () => null, callback: async () => [], registerTaskWorker: async () => undefined, log: () => undefined };

/*
 * The hand-off frame between the agent and a warm host, in real bubblewrap: typed and checked by
 * its shape on both ends, once per host, to warm hosts only.
 */
describe('the hand-off of a plugin to a warm host', () => {
  let dataDir: string;
  const hosts: PluginHost[] = [];
  const warmHost = async (): Promise<{ host: PluginHost; folders: WarmFolders }> => {
    const folders = await createWarmFolders(dataDir);
    const opts: WarmHostOptions = {
      pluginName: 'a warm plugin host',
      installDir: folders.plugin,
      dataFolder: folders.data,
      egressFolder: folders.net,
      sandbox: await selectSandbox('bwrap'),
      bounds: { memoryBytes: 256 * 1024 * 1024, maxProcesses: 64 },
      outputCapBytes: 1 << 20,
      callTimeoutMs: 30_000,
      startTimeoutMs: 30_000,
      preload: ['@elizaos/core'],
      onUnexpectedExit: () => undefined,
    };
    const host = await PluginHost.startWarm(opts);
    hosts.push(host);
    return { host, folders };
  };
  const grantFor = (folders: WarmFolders) => ({
    entry: join(folders.plugin, 'dist', 'index.js'),
    agentId: '00000000-0000-0000-0000-0000000000a1',
    character: { name: 'Probe agent' },
    settings: {},
  });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pd-warm-handoff-'));
  });
  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.close()));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is refused by the host when it does not have the shape (checked on the host end too)', async () => {
    const { host, folders } = await warmHost();
    expect(host.warmRssBytes).toBeGreaterThan(0);
    // Sent raw, past the agent's own check: an unknown field, then a setting that is not text.
    await expect(host.call('handoff', [{ ...grantFor(folders), extra: 'more' } as never])).rejects.toMatchObject({ code: 'HOST_CALL_FAILED', message: expect.stringContaining('shape this host accepts') });
    await expect(host.call('handoff', [{ ...grantFor(folders), settings: { A: 1 } } as never])).rejects.toMatchObject({ code: 'HOST_CALL_FAILED', message: expect.stringContaining('shape this host accepts') });
    // A warm host takes its plugin by hand-off only.
    await expect(host.call('hello', [grantFor(folders)])).rejects.toMatchObject({ code: 'HOST_CALL_FAILED', message: expect.stringContaining('hand-off only') });
    expect(host.alive).toBe(true);
  });

  it('is checked by the agent before it is sent: a grant out of bounds is refused there, and the host ended', async () => {
    const { host, folders } = await warmHost();
    const handoff = { ...grantFor(folders), egressSocket: `/${'x'.repeat(200)}`, pluginName: 'plugin-warm-probe', bridge, onUnexpectedExit: () => undefined };
    await expect(host.handOff(handoff)).rejects.toMatchObject({ code: 'LOAD_FAILED', message: expect.stringContaining('not in the shape a host accepts') });
    expect(host.alive).toBe(false);
  });

  it('gives a warm host one plugin, once; a cold host takes none', async () => {
    const { host, folders } = await warmHost();
    await linkInstalledFolder(PROBE, folders.plugin);
    await host.handOff({ ...grantFor(folders), pluginName: 'plugin-warm-probe', bridge, onUnexpectedExit: () => undefined });
    expect(host.manifest).toMatchObject({ name: 'plugin-warm-probe', actions: [{ name: 'PROBE' }] });
    const answer = (await host.call('actionHandler', ['PROBE', { content: { text: 'whoami' } }, null, {}, null, null])) as { data: { result: { cwd: string } } };
    expect(answer.data.result.cwd).toBe(folders.data);
    await expect(host.call('handoff', [grantFor(folders)])).rejects.toMatchObject({ code: 'HOST_CALL_FAILED', message: expect.stringContaining('already serves a plugin') });

    const cold = await PluginHost.start({
      pluginName: 'plugin-warm-probe',
      installDir: PROBE,
      entry: join(PROBE, 'dist', 'index.js'),
      dataFolder: (await createWarmFolders(dataDir)).data,
      sandbox: await selectSandbox('bwrap'),
      bounds: { memoryBytes: 256 * 1024 * 1024, maxProcesses: 64 },
      outputCapBytes: 1 << 20,
      agentId: '00000000-0000-0000-0000-0000000000a1',
      character: {},
      settings: {},
      callTimeoutMs: 30_000,
      startTimeoutMs: 30_000,
      bridge,
      onUnexpectedExit: () => undefined,
    });
    hosts.push(cold);
    await expect(cold.call('handoff', [grantFor(folders)])).rejects.toMatchObject({ code: 'HOST_CALL_FAILED', message: expect.stringContaining('warm host only') });
  });
});

describe('the spare warm host', () => {
  let dataDir: string;
  let pool: WarmHosts;
  const start = (idleMs: number): WarmHosts =>
    new WarmHosts({
      dataDir,
      sandbox: () => selectSandbox('bwrap'),
      bounds: { memoryBytes: 256 * 1024 * 1024, maxProcesses: 64 },
      outputCapBytes: 1 << 20,
      callTimeoutMs: 30_000,
      startTimeoutMs: 30_000,
      parentModules: join(dataDir, 'node_modules'),
      preload: [],
      idleMs,
      logger: { debug: () => undefined, warn: () => undefined },
    });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pd-warm-pool-'));
  });
  afterAll(async () => {
    await pool?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is one at most: taking it starts the next; stopping ends it, removes its folders and starts no more', async () => {
    pool = start(60 * 60_000);
    pool.prepare();
    pool.prepare();
    const first = await pool.ready();
    expect(first).toBeDefined();
    expect(readdirSync(warmFoldersRoot(dataDir))).toHaveLength(1);
    const taken = await pool.take();
    expect(taken?.folders.root).toBe(first!.root);
    const second = await pool.ready();
    expect(second?.root).not.toBe(first!.root);
    expect(hostProcessesOf(join(second!.root, 'd')).length).toBeGreaterThan(0);
    await taken!.host.close();
    await releaseWarmFolders(taken!.folders.root);
    await pool.stop();
    expect(hostProcessesOf(join(second!.root, 'd'))).toEqual([]);
    expect(readdirSync(warmFoldersRoot(dataDir))).toEqual([]);
    expect(await pool.take()).toBeUndefined();
    pool.prepare();
    expect(await pool.ready()).toBeUndefined();
  });

  it('is ended when nobody takes it within its idle lifetime, and replaced only when an activation finds none', async () => {
    pool = start(300);
    pool.prepare();
    const ready = await pool.ready();
    expect(ready).toBeDefined();
    await waitFor('the idle spare to be ended', () => !existsSync(ready!.root));
    expect(hostProcessesOf(join(ready!.root, 'd'))).toEqual([]);
    expect(await pool.ready()).toBeUndefined();
    // The activation that finds none starts cold, and has one started for the next.
    expect(await pool.take()).toBeUndefined();
    const next = await pool.ready();
    expect(next?.root).toBeDefined();
    expect(next?.root).not.toBe(ready!.root);
  });
});
