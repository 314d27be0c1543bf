import { accessSync, constants } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import semver from 'semver';
import type { Capabilities as CreationCapabilities } from '../operations/index.js';
import { WITHOUT_MODEL_WORKS } from '../creation/providers/creation-capabilities.js';
import { childNode, type RuntimeReport } from '../shared/child-node.js';
import { usableCheckerSnapshot } from '../creation/steps/checker-snapshot.js';
import { ensureToolchain } from '../creation/toolchain/index.js';
import { ERROR_CATALOGUE, toPluginDynamicError } from '../errors.js';
import type { Backend } from './backend.js';

export interface DoctorCheck {
  check: 'node' | 'data folder' | 'toolchain' | 'runtime' | 'agent runtime' | 'registry' | 'model' | 'sandbox';
  /** `warn`: works, with less (no model, no sandbox); `skip`: cannot be checked from here. */
  status: 'ok' | 'warn' | 'fail' | 'skip';
  detail: string;
  /** What to do about it. */
  hint?: string;
}

export const NODE_RANGE = '>=20.19.0';

function failed(check: DoctorCheck['check'], error: unknown): DoctorCheck {
  const e = toPluginDynamicError(error);
  return { check, status: 'fail', detail: `${e.code}: ${e.message}`, hint: e.hint };
}

export function nodeCheck(version: string = process.versions.node): DoctorCheck {
  const ok = semver.satisfies(version, NODE_RANGE);
  return {
    check: 'node',
    status: ok ? 'ok' : 'fail',
    detail: `${version} (needs ${NODE_RANGE})`,
    ...(ok ? {} : { hint: 'Install Node.js 20.19 or newer (22 LTS works too).' }),
  };
}

/** Writes and removes a probe file: permission bits alone do not prove a folder is writable. */
export async function dataDirCheck(dir: string): Promise<DoctorCheck> {
  const probe = join(dir, `.doctor-${process.pid}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, 'ok');
    await rm(probe, { force: true });
    return { check: 'data folder', status: 'ok', detail: `${dir} is writable` };
  } catch (error) {
    return {
      check: 'data folder',
      status: 'fail',
      detail: `${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      hint: 'Pass a folder you can write with --data-dir, or set PLUGIN_DYNAMIC_DATA_DIR.',
    };
  }
}

export async function toolchainCheck(dataDir: string, signal: AbortSignal): Promise<DoctorCheck> {
  try {
    const toolchain = await ensureToolchain(dataDir, { signal });
    const snapshot = usableCheckerSnapshot(await childNode(signal))
      ? 'the checker starts from its startup snapshot'
      : "no startup snapshot of the checker for this Node and TypeScript (a job's first build takes about a second more; `npm run build` in plugin-dynamic's folder makes one)";
    return { check: 'toolchain', status: 'ok', detail: `${versionsText(toolchain.versions)}; ${snapshot}` };
  } catch (error) {
    return failed('toolchain', error);
  }
}

const versionsText = (versions: Record<string, string>): string =>
  Object.entries(versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');

/** The agent reports its toolchain once it has prepared it (at its first job). */
export function remoteToolchainCheck(caps: CreationCapabilities): DoctorCheck {
  return caps.toolchain
    ? { check: 'toolchain', status: 'ok', detail: `${versionsText(caps.toolchain)} (on the agent)` }
    : { check: 'toolchain', status: 'skip', detail: 'the agent prepares it at its first creation job; run doctor on its machine to check now' };
}

export async function registryCheck(backend: Backend): Promise<DoctorCheck> {
  try {
    const answer = await backend.search({ q: '', limit: 1 });
    switch (answer.origin) {
      case 'network':
        return { check: 'registry', status: 'ok', detail: 'reachable' };
      case 'cache':
        return { check: 'registry', status: 'ok', detail: 'using the cached copy (still fresh)' };
      case 'stale-cache':
        return { check: 'registry', status: 'warn', detail: answer.warning ?? 'unreachable; using an old cached copy', hint: ERROR_CATALOGUE.REGISTRY_UNAVAILABLE };
      case 'none':
        return { check: 'registry', status: 'fail', detail: answer.warning ?? 'unreachable and never cached', hint: ERROR_CATALOGUE.REGISTRY_UNAVAILABLE };
    }
  } catch (error) {
    return failed('registry', error);
  }
}

/** What works without a model and what does not: chat needs one, everything else does not. */
const WITHOUT_MODEL = `chat messages get no answer (bootstrap replies through TEXT_LARGE); ${WITHOUT_MODEL_WORKS}`;

export function modelCheck(caps: CreationCapabilities): DoctorCheck {
  if (caps.modelAvailable) {
    return { check: 'model', status: 'ok', detail: `a TEXT_LARGE model is registered: chat is answered; new jobs use the ${caps.effectiveGenerator} generator` };
  }
  const hint =
    'To chat with the agent or write plugins with a model, install and configure a model plugin, e.g. `plugin-dynamic install @elizaos/plugin-openai` then `configure @elizaos/plugin-openai --secret OPENAI_API_KEY`.';
  if (caps.generator === 'model') {
    return { check: 'model', status: 'fail', detail: `PLUGIN_DYNAMIC_GENERATOR=model, but no TEXT_LARGE model is registered; ${WITHOUT_MODEL}`, hint: ERROR_CATALOGUE.MODEL_UNAVAILABLE };
  }
  return { check: 'model', status: 'warn', detail: `none registered: ${WITHOUT_MODEL}`, hint };
}

/** Which runtime the agent runs on (node or bun) and which Node its child processes get. */
export function agentRuntimeCheck(report: RuntimeReport | undefined): DoctorCheck {
  if (!report) return { check: 'agent runtime', status: 'skip', detail: 'the agent does not report it (an older plugin-dynamic)' };
  const detail = `agent on ${report.agent}; child processes (npm, checker, tsc, eslint, vitest, import checks) on ${report.children}`;
  return report.childrenOk
    ? { check: 'agent runtime', status: 'ok', detail }
    : { check: 'agent runtime', status: 'fail', detail, hint: ERROR_CATALOGUE.NODE_UNAVAILABLE };
}

/** An executable on PATH, as a shell would find it (but without running one). */
export function findOnPath(command: string, path: string = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function sandboxCheck(caps: CreationCapabilities, mode: Backend['mode'], bwrap = findOnPath('bwrap')): DoctorCheck {
  if (caps.sandbox === 'none') {
    return { check: 'sandbox', status: 'warn', detail: 'off (PLUGIN_DYNAMIC_SANDBOX=none): generated code runs unsandboxed', hint: ERROR_CATALOGUE.SANDBOX_UNAVAILABLE };
  }
  if (mode === 'agent') return { check: 'sandbox', status: 'skip', detail: `${caps.sandbox} on the agent; bubblewrap is checked on its machine` };
  if (bwrap) {
    // An agent of an older version may not report its control groups.
    const bounds = (caps as Partial<CreationCapabilities>).resourceBounds ?? 'not reported';
    const bounded = bounds.startsWith('cgroup');
    return {
      check: 'sandbox',
      status: bounded ? 'ok' : 'warn',
      detail: `${caps.sandbox}: bubblewrap at ${bwrap}; per job: ${bounds}`,
      ...(bounded ? {} : { hint: 'Memory and process counts per job are bounded only with writable control groups: run as root or with a delegated cgroup, and install cgroup-tools.' }),
    };
  }
  return {
    check: 'sandbox',
    status: caps.sandbox === 'bwrap' ? 'fail' : 'warn',
    detail: `${caps.sandbox}: bubblewrap (bwrap) is not on PATH`,
    hint: ERROR_CATALOGUE.SANDBOX_UNAVAILABLE,
  };
}

export { failed as failedCheck };
