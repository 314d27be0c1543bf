import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostRuntime, locateChildNode, type HostRuntime } from '../../../src/shared/child-node.js';

const BUN = join(import.meta.dirname, '..', '..', '..', 'node_modules', '.bin', 'bun');
const NODE = realpathSync(process.execPath);
const onBun: HostRuntime = { name: 'bun', version: '1.4.5', execPath: realpathSync(BUN) };

describe('the Node child processes run on', () => {
  let dir: string;
  let bunAsNode: string;
  let oldNode: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pd-child-node-'));
    // bun answers to the name `node` (bun run puts such a link on PATH when there is no Node).
    bunAsNode = join(dir, 'with-bun');
    await mkdir(bunAsNode);
    await symlink(realpathSync(BUN), join(bunAsNode, 'node'));
    // A program named node that says it is Node 18.
    oldNode = join(dir, 'with-old');
    await mkdir(oldNode);
    await writeFile(join(oldNode, 'node'), '#!/bin/sh\necho \'{"node":"18.19.0","bun":null}\'\n');
    await chmod(join(oldNode, 'node'), 0o755);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is this process when the agent runs on Node', async () => {
    const found = await locateChildNode({ path: '', host: hostRuntime() });
    expect(found).toMatchObject({ path: NODE, source: 'this process', version: process.versions.node });
  });

  it('is the node on PATH when the agent runs on bun, skipping a bun that calls itself node', async () => {
    const found = await locateChildNode({ path: [bunAsNode, '/nonexistent', join(NODE, '..')].join(':'), host: onBun });
    expect(found).toMatchObject({ path: NODE, source: 'PATH', version: process.versions.node });
  });

  it('is PLUGIN_DYNAMIC_NODE when set, and only that', async () => {
    expect(await locateChildNode({ configured: NODE, path: '', host: onBun })).toMatchObject({ path: NODE, source: 'PLUGIN_DYNAMIC_NODE' });
    await expect(locateChildNode({ configured: join(dir, 'missing-node'), path: join(NODE, '..'), host: hostRuntime() })).rejects.toMatchObject({
      code: 'NODE_UNAVAILABLE',
      message: expect.stringContaining('PLUGIN_DYNAMIC_NODE'),
    });
  });

  it('fails with NODE_UNAVAILABLE naming each refused candidate and the fix', async () => {
    const error: unknown = await locateChildNode({ path: [bunAsNode, oldNode].join(':'), host: onBun }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NODE_UNAVAILABLE' });
    const message = (error as Error).message;
    expect(message).toMatch(/is bun 1\.\d+\.\d+, not Node/);
    expect(message).toContain('is Node 18.19.0, older than 20.19');
    expect(message).toContain('This agent runs on bun 1.4.5');
    expect(message).toContain('set PLUGIN_DYNAMIC_NODE');
  });

  it('says there is no node on PATH when there is none', async () => {
    await expect(locateChildNode({ path: '/nonexistent', host: onBun })).rejects.toMatchObject({
      code: 'NODE_UNAVAILABLE',
      message: expect.stringContaining('there is no `node` on PATH'),
    });
  });

  it('names the agent runtime: bun when process.versions.bun is set', () => {
    expect(hostRuntime({ ...process.versions, bun: '1.4.5' }, '/x/bun')).toEqual({ name: 'bun', version: '1.4.5', execPath: '/x/bun' });
    expect(hostRuntime().name).toBe('node');
  });
});
