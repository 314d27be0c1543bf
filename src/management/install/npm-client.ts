import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PluginDynamicError } from '../../errors.js';
import { runProcess, scrubbedEnv, type ProcessResult, type ProcessSpec } from '../../shared/process-runner.js';
import { childNode } from '../../shared/child-node.js';
import type { Sandbox, SandboxPolicy } from '../../shared/sandbox/index.js';
import { findNpm } from './npm-location.js';

export interface NpmOptions {
  cwd: string;
  dataDir: string;
  timeoutMs: number;
  outputCapBytes: number;
  signal?: AbortSignal;
  /**
   * Runs npm inside it when given: network on, writes only to `cwd` and npm's cache and home under
   * the data folder, reads only the system, npm itself and `readOnly`.
   */
  sandbox?: Sandbox;
  /** Folders npm must read besides its own (a source folder, the host packages overrides link to). */
  readOnly?: string[];
}

/** System files npm needs for DNS that the sandbox does not bind by itself. */
const NETWORK_FILES = ['/etc/resolv.conf', '/etc/nsswitch.conf', '/etc/host.conf', '/etc/gai.conf'];

/** What sandboxed npm may touch. */
export function npmSandboxPolicy(opts: NpmOptions): SandboxPolicy {
  const npm = findNpm();
  return {
    network: true,
    writable: [opts.cwd, join(opts.dataDir, 'npm-cache'), join(opts.dataDir, 'npm-home')],
    readOnly: [...(npm ? [npm.dir] : []), ...NETWORK_FILES.filter((f) => existsSync(f)), ...(opts.readOnly ?? [])],
    // npm unpacks through its cache, not /tmp, but git sources are cloned under the temp folder.
    limits: { tmpBytes: 512 * 1024 * 1024 },
  };
}

/**
 * npm as a child process: argv only, no shell, an environment with nothing of the host's secrets
 * (its own HOME and cache under the data folder), install scripts never run, and inside the sandbox
 * when one is given.
 */
export async function runNpm(args: string[], opts: NpmOptions): Promise<ProcessResult> {
  const home = join(opts.dataDir, 'npm-home');
  const cache = join(opts.dataDir, 'npm-cache');
  // Bound read-write into the sandbox, so they must exist first.
  await Promise.all([mkdir(home, { recursive: true }), mkdir(cache, { recursive: true })]);
  const env = scrubbedEnv(home, {
    npm_config_cache: cache,
    npm_config_ignore_scripts: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...(process.env['npm_config_registry'] ? { npm_config_registry: process.env['npm_config_registry'] } : {}),
  });
  // npm's own script run by a real Node (never bun), so the sandbox needs no PATH lookup through links.
  const node = await childNode(opts.signal);
  const npm = findNpm(node.path);
  const spec: ProcessSpec = {
    command: npm ? node.path : 'npm',
    args: npm ? [npm.cli, ...args] : args,
    cwd: opts.cwd,
    env,
    timeoutMs: opts.timeoutMs,
    maxOutputBytes: opts.outputCapBytes,
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
  const result = await runProcess(opts.sandbox ? opts.sandbox.wrap(spec, npmSandboxPolicy(opts)) : spec);
  if (result.cancelled) throw new PluginDynamicError('INSTALL_FAILED', `npm ${args[0]} was cancelled.`);
  if (result.timedOut) throw new PluginDynamicError('INSTALL_TIMEOUT', `npm ${args[0]} took longer than ${Math.round(opts.timeoutMs / 1000)} s.`);
  return result;
}

/** The tail of npm's complaint, for an error message a person can act on. */
export function npmComplaint(result: ProcessResult): string {
  const lines = `${result.stderr}\n${result.stdout}`
    .split('\n')
    .filter((l) => /npm (error|ERR!)/.test(l) || /E404|ETARGET|ENOTFOUND|ECONNREFUSED|EINTEGRITY/.test(l));
  return (lines.length ? lines : result.stderr.split('\n')).slice(-8).join('\n').trim().slice(0, 1_500);
}
