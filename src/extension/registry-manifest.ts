import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { PluginDynamicConfig } from '../config.js';
import { declaredSettings, EnvVarSchema as EnvVar, ParameterSchema as Parameter } from '../management/install/plugin-manifest.js';
import { describePermissions, readDeclaredPermissions } from '../management/permissions/plugin-permissions.js';
import { runNpm } from '../shared/npm/index.js';
import { bwrapSandbox, bwrapWorks } from '../shared/sandbox/index.js';

/** What an offer says of a registry plugin before it is installed: its settings and permissions. */
export interface PublishedNeeds {
  settings: { name: string; required: boolean; sensitive: boolean }[];
  permissions: string[];
}

const ViewSchema = z
  .object({
    name: z.string().min(1),
    version: z.string().min(1),
    agentConfig: z.object({ pluginParameters: z.record(z.string(), Parameter).optional() }).loose().optional(),
    elizaos: z.object({ environmentVariables: z.array(EnvVar).optional(), requiredEnvVars: z.array(z.string()).optional() }).loose().optional(),
  })
  .loose();

/**
 * Asks npm for the manifest fields of one published release (`npm view name@version name version
 * agentConfig elizaos --json`), through the bounded, sandboxed npm client; no package code runs.
 * Undefined when npm cannot say in time: the offer then says the install reads them.
 */
export async function publishedNeeds(
  config: PluginDynamicConfig,
  name: string,
  version: string,
  signal?: AbortSignal,
): Promise<PublishedNeeds | undefined> {
  const cwd = join(config.dataDir, 'cache', 'npm-view');
  await mkdir(cwd, { recursive: true });
  const sandbox = config.sandbox !== 'none' && (await bwrapWorks()) ? bwrapSandbox : undefined;
  const result = await runNpm(['view', `${name}@${version}`, 'name', 'version', 'agentConfig', 'elizaos', '--json'], {
    cwd,
    dataDir: config.dataDir,
    timeoutMs: config.registryTimeoutMs,
    outputCapBytes: Math.min(config.outputCapBytes, 256 * 1024),
    ...(signal ? { signal } : {}),
    ...(sandbox ? { sandbox } : {}),
  }).catch(() => undefined);
  if (!result?.ok) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(result.stdout || 'null');
  } catch {
    return undefined;
  }
  const view = ViewSchema.safeParse(Array.isArray(raw) ? raw.at(-1) : raw);
  if (!view.success) return undefined;
  const settings = declaredSettings({ ...view.data, dir: cwd });
  return {
    settings: settings.map((s) => ({ name: s.name, required: s.required, sensitive: s.sensitive })),
    permissions: describePermissions(readDeclaredPermissions(view.data.agentConfig).permissions),
  };
}
