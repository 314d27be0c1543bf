import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');

/** A `plugin-dynamic worker` child process with a data folder of its own. */
export interface WorkerProcess {
  child: ChildProcess;
  dataDir: string;
  stderr: string[];
  /** SIGTERM (running jobs end interrupted), wait for the exit, remove the data folder. Idempotent. */
  stop: () => Promise<void>;
}

/** Starts `plugin-dynamic worker --postgres-url url` from source; resolves once it says it runs. */
export async function startWorkerProcess(url: string, args: string[] = [], env: Record<string, string> = {}): Promise<WorkerProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pd-fleet-worker-'));
  const child = spawn(process.execPath, ['--import', TSX, MAIN, '--data-dir', dataDir, 'worker', '--postgres-url', url, ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', LOG_LEVEL: 'warn', PLUGIN_DYNAMIC_FLEET_POLL_MS: '300', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr.push(chunk.toString());
        if (stderr.join('').includes('plugin-dynamic worker ')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the worker exited with ${code}: ${stderr.join('')}`)));
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  return { child, dataDir, stderr, stop };
}
