import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from '../../src/shared/process-runner.js';

/** The real `elizaos` CLI, 1.7.2, as the README tells a user to install it. */
export const ELIZAOS_CLI_VERSION = '1.7.2';

export interface ElizaosCli {
  /** The `elizaos` bin (a bun program: `#!/usr/bin/env bun`). */
  bin: string;
  /** The folder holding `bun` (node_modules/.bin), to put first on PATH. */
  bunDir: string;
  /** Its node_modules, where @elizaos/plugin-bootstrap comes from. */
  modules: string;
}

/**
 * Installs @elizaos/cli 1.7.2 once into a folder under the temp folder and reuses it: its own install
 * scripts fail here (they fetch ollama and bun), so it is installed with --ignore-scripts, then the
 * `bun` npm package's own installer is run once to place the bun binary.
 */
export async function installElizaosCli(): Promise<ElizaosCli> {
  const root = join(tmpdir(), `pd-elizaos-cli-${ELIZAOS_CLI_VERSION}`);
  const modules = join(root, 'node_modules');
  const bin = join(modules, '.bin', 'elizaos');
  const bunDir = join(modules, '.bin');
  const bunBinary = join(modules, 'bun', 'bin', 'bun.exe');
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? root };
  if (!existsSync(bin)) {
    await mkdir(root, { recursive: true });
    await writeFile(join(root, 'package.json'), '{ "name": "pd-elizaos-cli", "private": true }\n');
    const npm = await runProcess({
      command: 'npm',
      args: ['install', '--ignore-scripts', '--no-audit', '--no-fund', `@elizaos/cli@${ELIZAOS_CLI_VERSION}`],
      cwd: root,
      env,
      timeoutMs: 900_000,
      maxOutputBytes: 4_000_000,
    });
    if (npm.exitCode !== 0) throw new Error(`npm install @elizaos/cli failed: ${npm.stderr.slice(-2_000)}`);
  }
  // Until install.js has run, the package holds a small placeholder where the binary goes.
  if (!existsSync(bunBinary) || statSync(bunBinary).size < 1_000_000) {
    const bun = await runProcess({ command: process.execPath, args: [join(modules, 'bun', 'install.js')], cwd: join(modules, 'bun'), env, timeoutMs: 300_000, maxOutputBytes: 1_000_000 });
    if (bun.exitCode !== 0) throw new Error(`bun's install.js failed: ${bun.stderr.slice(-2_000)}`);
  }
  return { bin, bunDir, modules };
}
