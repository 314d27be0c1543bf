import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import semver from 'semver';
import { codedError } from '../errors.js';
import { runProcess } from './process-runner.js';

/** The oldest Node that core 1.7.2 (pdfjs-dist) and the toolchain run on. */
export const CHILD_NODE_RANGE = '>=20.19.0';

/** The runtime this process (the agent) runs on: `elizaos start` runs agents under bun. */
export interface HostRuntime {
  name: 'node' | 'bun';
  version: string;
  execPath: string;
}

/** The Node every child process runs on (npm, the checker, tsc/eslint/vitest, the import checks). */
export interface ChildNode {
  /** Absolute path with links resolved, so the sandbox can bind the folder it is really in. */
  path: string;
  version: string;
  /** Where it was found. */
  source: 'PLUGIN_DYNAMIC_NODE' | 'this process' | 'PATH';
}

export function hostRuntime(versions: NodeJS.ProcessVersions = process.versions, execPath = process.execPath): HostRuntime {
  const bun = (versions as NodeJS.ProcessVersions & { bun?: string }).bun;
  return bun ? { name: 'bun', version: bun, execPath } : { name: 'node', version: versions.node, execPath };
}

/** What a candidate says it is, asked by running it (a `node` on PATH may be bun's stand-in). */
const IDENTIFY = 'console.log(JSON.stringify({ node: process.versions.node, bun: process.versions.bun ?? null }))';

async function identify(path: string, signal?: AbortSignal): Promise<{ node: string; bun: string | null } | string> {
  try {
    const run = await runProcess({
      command: path,
      args: ['-e', IDENTIFY],
      cwd: '/',
      env: { PATH: '/usr/bin:/bin' },
      timeoutMs: 15_000,
      maxOutputBytes: 16_384,
      ...(signal ? { signal } : {}),
    });
    const parsed = JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as { node?: unknown; bun?: unknown };
    if (typeof parsed.node !== 'string') return 'it did not report a Node version';
    return { node: parsed.node, bun: typeof parsed.bun === 'string' ? parsed.bun : null };
  } catch (error) {
    return `it could not be run (${(error as Error).message.split('\n')[0] ?? 'unknown error'})`;
  }
}

function executablesOnPath(name: string, path: string): string[] {
  const found: string[] = [];
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      found.push(realpathSync(file));
    } catch {
      // not here
    }
  }
  return [...new Set(found)];
}

export interface LocateInputs {
  /** PLUGIN_DYNAMIC_NODE: a path to the node binary; when set, only it is considered. */
  configured?: string | undefined;
  /** The search path for `node`. */
  path: string;
  host: HostRuntime;
  signal?: AbortSignal;
}

/**
 * Finds a real Node >= 20.19 for child processes: PLUGIN_DYNAMIC_NODE when set (and nothing else),
 * else this process when it is Node, else the first `node` on PATH that really is Node (bun puts a
 * `node` of its own on PATH). Every candidate that is refused is named in the error.
 */
export async function locateChildNode(inputs: LocateInputs): Promise<ChildNode> {
  const refused: string[] = [];
  const accept = async (path: string, source: ChildNode['source']): Promise<ChildNode | undefined> => {
    let real: string;
    try {
      real = realpathSync(path);
      accessSync(real, constants.X_OK);
    } catch {
      refused.push(`${path} (${source}) does not exist or is not executable`);
      return undefined;
    }
    const found = await identify(real, inputs.signal);
    if (typeof found === 'string') refused.push(`${real} (${source}): ${found}`);
    else if (found.bun !== null) refused.push(`${real} (${source}) is bun ${found.bun}, not Node`);
    else if (!semver.satisfies(found.node, CHILD_NODE_RANGE)) refused.push(`${real} (${source}) is Node ${found.node}, older than 20.19`);
    else return { path: real, version: found.node, source };
    return undefined;
  };

  if (inputs.configured !== undefined && inputs.configured.trim() !== '') {
    const found = await accept(inputs.configured.trim(), 'PLUGIN_DYNAMIC_NODE');
    if (found) return found;
  } else {
    if (inputs.host.name === 'node') {
      if (semver.satisfies(inputs.host.version, CHILD_NODE_RANGE)) {
        return { path: realpathSync(inputs.host.execPath), version: inputs.host.version, source: 'this process' };
      }
      refused.push(`this process is Node ${inputs.host.version}, older than 20.19`);
    }
    for (const candidate of executablesOnPath('node', inputs.path)) {
      const found = await accept(candidate, 'PATH');
      if (found) return found;
    }
    if (refused.length === 0) refused.push('there is no `node` on PATH');
  }
  throw codedError(
    'NODE_UNAVAILABLE',
    { refused: refused.join('; '), host: `${inputs.host.name} ${inputs.host.version}` },
    { details: { refused, host: inputs.host } },
  );
}

let found: Promise<ChildNode> | undefined;

/**
 * The Node for this process's children, found once (a failure is not kept: installing Node and
 * trying again works without a restart).
 */
export function childNode(signal?: AbortSignal): Promise<ChildNode> {
  found ??= locateChildNode({
    configured: process.env['PLUGIN_DYNAMIC_NODE'],
    path: process.env['PATH'] ?? '',
    host: hostRuntime(),
    ...(signal ? { signal } : {}),
  }).catch((error: unknown) => {
    found = undefined;
    throw error;
  });
  return found;
}

/** Which runtime the agent runs on and which Node its children get, in words (doctor, capabilities, the start-up log). */
export interface RuntimeReport {
  /** e.g. "bun 1.4.5" */
  agent: string;
  /** e.g. "node 20.20.2 at /usr/bin/node (found on PATH)", or why there is none. */
  children: string;
  childrenOk: boolean;
}

export async function runtimeReport(signal?: AbortSignal): Promise<RuntimeReport> {
  const host = hostRuntime();
  const agent = `${host.name} ${host.version}`;
  try {
    const node = await childNode(signal);
    const where = node.source === 'PATH' ? 'found on PATH' : node.source === 'this process' ? 'the agent itself' : 'PLUGIN_DYNAMIC_NODE';
    return { agent, children: `node ${node.version} at ${node.path} (${where})`, childrenOk: true };
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'INTERNAL';
    return { agent, children: `none: ${code}: ${(error as Error).message}`, childrenOk: false };
  }
}
