import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PluginDynamicError } from '../../errors.js';
import { runProcess, scrubbedEnv, type ProcessResult, type ProcessSpec } from '../process-runner.js';
import { childNode } from '../child-node.js';
import type { Sandbox, SandboxPolicy } from '../sandbox/index.js';
import { findNpm } from './npm-location.js';
import { startRegistryProxy } from './registry-proxy.js';

export interface NpmOptions {
  cwd: string;
  dataDir: string;
  timeoutMs: number;
  outputCapBytes: number;
  signal?: AbortSignal;
  /**
   * Runs npm inside it when given: network on, writes only to `cwd` and this run's own home and
   * cache, reads only the system, npm itself, the shared npm config and `readOnly`.
   */
  sandbox?: Sandbox;
  /** Folders npm must read besides its own (a source folder, the host packages overrides link to). */
  readOnly?: string[];
}

/** System files npm needs for DNS that the sandbox does not bind by itself. */
const NETWORK_FILES = ['/etc/resolv.conf', '/etc/nsswitch.conf', '/etc/host.conf', '/etc/gai.conf'];

/** Every program npm could start (git for git sources, the shell for scripts, an editor, node-gyp): refused. */
const REFUSE = '/bin/false';
const NO_PROGRAMS: Record<string, string> = {
  npm_config_git: REFUSE,
  npm_config_script_shell: REFUSE,
  npm_config_shell: REFUSE,
  npm_config_editor: REFUSE,
  npm_config_visual: REFUSE,
  npm_config_node_gyp: REFUSE,
  npm_config_browser: 'false',
  npm_config_ignore_scripts: 'true',
  npm_config_foreground_scripts: 'false',
};

/**
 * The user-level npm configuration every run reads (read-only to npm): `<data>/npm-home/.npmrc`, when
 * there is one. The machine's global npmrc (a CA file, a mirror) is read as usual; it lies under
 * npm's own read-only prefix.
 */
export function sharedNpmConfig(dataDir: string): string {
  return join(dataDir, 'npm-home', '.npmrc');
}

const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';

function registryIn(file: string): string | undefined {
  try {
    return /^\s*registry\s*=\s*(\S+)\s*$/m.exec(readFileSync(file, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/**
 * The registry npm will use: the environment's npm_config_registry, else the shared user config's,
 * else the machine's global npmrc's, else npm's default.
 */
export function npmRegistry(dataDir: string): URL {
  const candidates = [
    process.env['npm_config_registry'],
    registryIn(sharedNpmConfig(dataDir)),
    registryIn(join(dirname(process.execPath), '..', 'etc', 'npmrc')),
    DEFAULT_REGISTRY,
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      return new URL(candidate);
    } catch {
      // Not a URL: the next source decides.
    }
  }
  return new URL(DEFAULT_REGISTRY);
}

/** What sandboxed npm may touch: `runDir` is this run's own home and cache. */
export function npmSandboxPolicy(opts: NpmOptions, runDir: string): SandboxPolicy {
  const npm = findNpm();
  const config = sharedNpmConfig(opts.dataDir);
  return {
    network: true,
    writable: [opts.cwd, runDir],
    readOnly: [
      ...(npm ? [npm.dir] : []),
      ...NETWORK_FILES.filter((f) => existsSync(f)),
      ...(existsSync(config) ? [config] : []),
      ...(opts.readOnly ?? []),
    ],
    limits: { tmpBytes: 512 * 1024 * 1024 },
  };
}

/**
 * npm as a child process: argv only, no shell, an environment with nothing of the host's secrets,
 * and inside the sandbox when one is given. Each run gets a home and a cache of its own, made fresh
 * and removed after, so nothing a run (or anything it fetched) writes reaches a later run; the
 * shared config is only read. Every program npm could start is set to refusal by environment
 * variables, which outrank a project's and the user's .npmrc in npm's order of precedence.
 */
export async function runNpm(args: string[], opts: NpmOptions): Promise<ProcessResult> {
  const runs = join(opts.dataDir, 'npm-runs');
  await mkdir(runs, { recursive: true });
  const runDir = await mkdtemp(join(runs, 'run-'));
  let closeProxy: (() => Promise<void>) | undefined;
  try {
    const home = join(runDir, 'home');
    const cache = join(runDir, 'cache');
    await Promise.all([mkdir(home), mkdir(cache)]);
    // npm reaches the network only through a proxy that passes the registry (and a tarball URL the
    // caller named itself, such as a GitHub source) and refuses every other host.
    const named = args.filter((arg) => /^https:\/\//.test(arg)).map((arg) => new URL(arg));
    const proxy = await startRegistryProxy([npmRegistry(opts.dataDir), ...named]);
    closeProxy = () => proxy.close();
    const env = scrubbedEnv(home, {
      npm_config_proxy: proxy.url,
      npm_config_https_proxy: proxy.url,
      npm_config_noproxy: '',
      npm_config_cache: cache,
      npm_config_userconfig: sharedNpmConfig(opts.dataDir),
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
      ...NO_PROGRAMS,
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
    const result = await runProcess(opts.sandbox ? opts.sandbox.wrap(spec, npmSandboxPolicy(opts, runDir)) : spec);
    if (result.cancelled) throw new PluginDynamicError('INSTALL_FAILED', `npm ${args[0]} was cancelled.`);
    if (result.timedOut) throw new PluginDynamicError('INSTALL_TIMEOUT', `npm ${args[0]} took longer than ${Math.round(opts.timeoutMs / 1000)} s.`);
    return result;
  } finally {
    await closeProxy?.();
    await rm(runDir, { recursive: true, force: true });
  }
}

/** The tail of npm's complaint, for an error message a person can act on. */
export function npmComplaint(result: ProcessResult): string {
  const lines = `${result.stderr}\n${result.stdout}`
    .split('\n')
    .filter((l) => /npm (error|ERR!)/.test(l) || /E404|ETARGET|ENOTFOUND|ECONNREFUSED|EINTEGRITY/.test(l));
  return (lines.length ? lines : result.stderr.split('\n')).slice(-8).join('\n').trim().slice(0, 1_500);
}
