import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IAgentRuntime } from '@elizaos/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../../src/config.js';
import { createInstallParts } from '../../../../src/management/install-parts.js';

// This machine's bubblewrap, as the install path sees it: present, but unable to run (a container
// without user namespaces, a broken setuid bit). Everything else in the sandbox module is the real one.
vi.mock('../../../../src/shared/sandbox/sandbox.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../../src/shared/sandbox/sandbox.js')>()),
  bwrapWorks: async () => false,
}));

/** A package whose module, once imported (the install's import check), writes a file where it pleases. */
async function plantedPackage(root: string, marker: string): Promise<string> {
  const dir = join(root, 'plugin-import-writes');
  await mkdir(join(dir, 'dist'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'plugin-import-writes', version: '1.0.0', type: 'module', main: 'dist/index.js' }));
  await writeFile(
    join(dir, 'dist', 'index.js'),
    `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran unsandboxed');\nexport default { name: 'plugin-import-writes', description: 'writes on import' };\n`,
  );
  return dir;
}

describe('an install without a working bubblewrap', () => {
  let root: string;
  let marker: string;
  let source: string;
  const warnings: string[] = [];
  const runtime = { logger: { warn: (_o: unknown, m: string) => void warnings.push(m), info: () => undefined, debug: () => undefined, error: () => undefined } } as unknown as IAgentRuntime;
  const installer = (sandbox: string, dataDir: string) =>
    createInstallParts(runtime, loadConfig((key) => ({ PLUGIN_DYNAMIC_SANDBOX: sandbox, PLUGIN_DYNAMIC_DATA_DIR: dataDir })[key])).installer;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pd-fail-closed-'));
    marker = join(root, 'import-ran.txt');
    source = await plantedPackage(root, marker);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  for (const mode of ['bwrap', 'auto']) {
    it(`is refused with SANDBOX_UNAVAILABLE under PLUGIN_DYNAMIC_SANDBOX=${mode}; npm and the import never run`, async () => {
      // Planted: the package is there and its module writes the marker when imported.
      expect(await readFile(join(source, 'dist', 'index.js'), 'utf8')).toContain('writeFileSync');
      const dataDir = join(root, `data-${mode}`);
      await expect(installer(mode, dataDir).install({ kind: 'folder', path: source })).rejects.toMatchObject({ code: 'SANDBOX_UNAVAILABLE' });
      expect(existsSync(marker)).toBe(false);
      expect(existsSync(join(dataDir, 'plugins', 'plugin-import-writes'))).toBe(false);
    });
  }

  it('runs unsandboxed only under an explicit none, and says so in the log and the result', async () => {
    const pkg = await installer('none', join(root, 'data-none')).install({ kind: 'folder', path: source });
    // The same package, installed: its import ran, outside any sandbox, as the setting asked.
    expect(await readFile(marker, 'utf8')).toBe('ran unsandboxed');
    expect(pkg.unsandboxed).toBe(true);
    expect(warnings.some((w) => w.includes('PLUGIN_DYNAMIC_SANDBOX=none'))).toBe(true);
  }, 180_000);
});
