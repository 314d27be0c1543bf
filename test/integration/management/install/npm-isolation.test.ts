import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installDependencyFolder } from '../../../../src/creation/pipeline/dependency-folder.js';
import { runNpm, sharedNpmConfig } from '../../../../src/shared/npm/index.js';
import { bwrapSandbox } from '../../../../src/shared/sandbox/index.js';

/**
 * npm as the agent runs it is configured by the agent alone: a folder's .npmrc cannot name a
 * program for it to run, the shared npm config cannot be written by a run, and each run's home and
 * cache are its own.
 */
describe('npm runs isolated from what a workspace or an earlier run left', () => {
  let root: string;
  let dataDir: string;
  let marker: string;
  let script: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pd-npm-isolation-'));
    dataDir = join(root, 'data');
    await mkdir(dataDir);
    marker = join(root, 'git-ran.txt');
    script = join(root, 'git.sh');
    await writeFile(script, `#!/bin/sh\necho ran > ${marker}\nexit 1\n`, { mode: 0o755 });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** A folder as a test could leave it: an .npmrc naming a git program, a git dependency. */
  async function poisonedFolder(name: string): Promise<string> {
    const dir = join(root, name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, '.npmrc'), `git=${script}\nscript-shell=${script}\n`);
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'poisoned', version: '1.0.0', dependencies: { evil: 'git+https://example.invalid/evil.git' } }));
    return dir;
  }

  const npmOptions = (cwd: string) => ({ cwd, dataDir, timeoutMs: 120_000, outputCapBytes: 4_000_000 });

  it("a folder's .npmrc naming a git program is not obeyed: the program never runs", async () => {
    const dir = await poisonedFolder('git-program');
    const result = await runNpm(['install', '--no-audit', '--no-fund'], npmOptions(dir));
    expect(result.ok).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });

  it('the same holds inside the sandbox, where npm has the network', async () => {
    const dir = await poisonedFolder('git-program-sandboxed');
    const result = await runNpm(['install', '--no-audit', '--no-fund'], { ...npmOptions(dir), sandbox: bwrapSandbox });
    expect(result.ok).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });

  it('a sandboxed run cannot write the shared npm config', async () => {
    const config = sharedNpmConfig(dataDir);
    await mkdir(join(dataDir, 'npm-home'), { recursive: true });
    await writeFile(config, 'fund=false\n');
    const dir = join(root, 'config-writer');
    await mkdir(dir);
    const result = await runNpm(['config', 'set', 'registry=http://127.0.0.1:9/', '--location=user'], { ...npmOptions(dir), sandbox: bwrapSandbox });
    expect(result.ok).toBe(false);
    expect(await readFile(config, 'utf8')).toBe('fund=false\n');
  });

  it("each run's home and cache are its own and are gone after it", async () => {
    const dir = join(root, 'cache-user');
    await mkdir(dir);
    await runNpm(['config', 'get', 'cache'], npmOptions(dir)).then((r) => {
      expect(r.ok).toBe(true);
      expect(r.stdout.trim()).toMatch(new RegExp(`^${join(dataDir, 'npm-runs')}/run-[^/]+/cache$`));
    });
    expect(await readdir(join(dataDir, 'npm-runs'))).toEqual([]);
  });

  it("a job's dependencies are installed from a fresh folder holding only the package.json made from the specification", async () => {
    const dir = await poisonedFolder('dependencies');
    const modules = await installDependencyFolder(dir, {}, { ...npmOptions(dir), signal: new AbortController().signal, sandbox: bwrapSandbox });
    expect(modules).toBe(join(dir, 'node_modules'));
    expect(existsSync(join(dir, '.npmrc'))).toBe(false);
    expect(JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'))).toEqual({ name: 'plugin-dynamic-dependencies', private: true, dependencies: {} });
    expect(existsSync(marker)).toBe(false);
  });

  it('npm reaches the registry and no other host: a tarball a packument places elsewhere is never fetched', async () => {
    const otherHostRequests: string[] = [];
    const other = createServer((req, res) => {
      otherHostRequests.push(req.url ?? '');
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const otherPort = (other.address() as AddressInfo).port;
    const registry: Server = createServer((req, res) => {
      if (req.url?.includes('evil-pkg')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            name: 'evil-pkg',
            'dist-tags': { latest: '1.0.0' },
            versions: { '1.0.0': { name: 'evil-pkg', version: '1.0.0', dist: { tarball: `http://127.0.0.1:${otherPort}/evil-pkg-1.0.0.tgz` } } },
          }),
        );
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    const before = process.env['npm_config_registry'];
    process.env['npm_config_registry'] = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
    try {
      const dir = join(root, 'other-host');
      await mkdir(dir);
      const result = await runNpm(['install', '--ignore-scripts', '--no-audit', '--no-fund', 'evil-pkg'], { ...npmOptions(dir), sandbox: bwrapSandbox });
      expect(result.ok).toBe(false);
      expect(otherHostRequests).toEqual([]);
    } finally {
      if (before === undefined) delete process.env['npm_config_registry'];
      else process.env['npm_config_registry'] = before;
      registry.close();
      other.close();
    }
  });
});
