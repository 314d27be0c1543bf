import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { codedError } from '../../errors.js';
import { resolveInside } from '../../shared/paths.js';
import type { SettingDeclaration } from '../types.js';

/** One entry of `agentConfig.pluginParameters`, as ElizaOS packages write it. */
export const ParameterSchema = z
  .object({
    type: z.string().optional(),
    description: z.string().optional(),
    required: z.boolean().optional(),
    default: z.unknown().optional(),
    sensitive: z.boolean().optional(),
  })
  .loose();

/** One entry of `elizaos.environmentVariables`: a name, or a name with its description and flags. */
export const EnvVarSchema = z.union([
  z.string(),
  z.object({ name: z.string(), description: z.string().optional(), required: z.boolean().optional(), sensitive: z.boolean().optional() }).loose(),
]);

const ExportTarget: z.ZodType<unknown> = z.lazy(() => z.union([z.string(), z.record(z.string(), ExportTarget), z.null()]));

const ManifestSchema = z
  .object({
    name: z.string().min(1),
    version: z.string().min(1),
    main: z.string().optional(),
    module: z.string().optional(),
    exports: ExportTarget.optional(),
    scripts: z.record(z.string(), z.string()).optional(),
    dependencies: z.record(z.string(), z.string()).optional(),
    optionalDependencies: z.record(z.string(), z.string()).optional(),
    peerDependencies: z.record(z.string(), z.string()).optional(),
    agentConfig: z.object({ pluginParameters: z.record(z.string(), ParameterSchema).optional() }).loose().optional(),
    elizaos: z
      .object({ environmentVariables: z.array(EnvVarSchema).optional(), requiredEnvVars: z.array(z.string()).optional() })
      .loose()
      .optional(),
  })
  .loose();

export type PluginManifest = z.infer<typeof ManifestSchema> & { dir: string };

/** Names that hold credentials, whatever the manifest says (the survey found flags unreliable). */
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSPHRASE|PRIVATE|CREDENTIAL|AUTH|COOKIE|SEED|MNEMONIC)/i;

export async function readPluginManifest(dir: string): Promise<PluginManifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
  } catch (error) {
    throw codedError('NOT_A_PLUGIN', { subject: dir, problem: 'has no readable package.json.' }, { cause: error });
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw codedError('NOT_A_PLUGIN', { subject: `package.json in ${dir}`, problem: `is not valid: ${parsed.error.issues[0]?.message ?? ''}` });
  }
  return { ...parsed.data, dir };
}

/** The settings a plugin declares, from agentConfig.pluginParameters and the elizaos block. */
export function declaredSettings(manifest: PluginManifest): SettingDeclaration[] {
  const settings = new Map<string, SettingDeclaration>();
  for (const [name, p] of Object.entries(manifest.agentConfig?.pluginParameters ?? {})) {
    const defaultValue = typeof p.default === 'string' || typeof p.default === 'number' || typeof p.default === 'boolean' ? String(p.default) : undefined;
    settings.set(name, {
      name,
      description: p.description ?? '',
      required: p.required === true && defaultValue === undefined,
      sensitive: p.sensitive === true || SECRET_NAME.test(name),
      defaultValue,
    });
  }
  for (const v of manifest.elizaos?.environmentVariables ?? []) {
    const entry = typeof v === 'string' ? { name: v } : v;
    if (settings.has(entry.name)) continue;
    settings.set(entry.name, {
      name: entry.name,
      description: 'description' in entry && typeof entry.description === 'string' ? entry.description : '',
      required: 'required' in entry && entry.required === true,
      sensitive: ('sensitive' in entry && entry.sensitive === true) || SECRET_NAME.test(entry.name),
      defaultValue: undefined,
    });
  }
  for (const name of manifest.elizaos?.requiredEnvVars ?? []) {
    const existing = settings.get(name);
    settings.set(name, {
      name,
      description: existing?.description ?? '',
      required: true,
      sensitive: existing?.sensitive ?? SECRET_NAME.test(name),
      defaultValue: undefined,
    });
  }
  return [...settings.values()];
}

function exportEntry(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (!target || typeof target !== 'object') return undefined;
  const t = target as Record<string, unknown>;
  for (const key of ['.', 'import', 'node', 'default']) {
    const found = exportEntry(t[key]);
    if (found) return found;
  }
  return undefined;
}

/** The module file to import, which must stay inside the package folder. */
export function entryFile(manifest: PluginManifest): string {
  const relative = exportEntry(manifest.exports) ?? manifest.module ?? manifest.main ?? 'index.js';
  return resolveInside(manifest.dir, relative);
}
