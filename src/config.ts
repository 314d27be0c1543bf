import { join, resolve } from 'node:path';
import { z } from 'zod';
import { GENERATOR_CHOICES } from './creation/generators/generator-kinds.js';
import { codedError } from './errors.js';
import { ISOLATION_POLICIES } from './management/host/isolation.js';
import { SANDBOX_SETTINGS } from './shared/sandbox/sandbox.js';

/** Where settings come from: the runtime's getSetting, or the environment for the CLI. */
export type SettingSource = (key: string) => string | number | boolean | null | undefined;

export const DEFAULT_REGISTRY_URL =
  'https://raw.githubusercontent.com/elizaos-plugins/registry/refs/heads/main/generated-registry.json';

const positiveInt = z.coerce.number().int().positive();

const ConfigSchema = z.object({
  /** Root of everything the package writes: installed plugins, workspaces, caches, key file. */
  dataDir: z.string().min(1),
  registryUrl: z.url(),
  /** @default 3_600_000 (one hour) */
  registryCacheTtlMs: positiveInt,
  /** @default 15_000 */
  registryTimeoutMs: positiveInt,
  /** @default 180_000 */
  installTimeoutMs: positiveInt,
  /** @default 30_000 */
  loadTimeoutMs: positiveInt,
  generator: z.enum(GENERATOR_CHOICES),
  /** @default 5 */
  maxIterations: positiveInt.max(20),
  /** @default 300_000 */
  commandTimeoutMs: positiveInt,
  /** @default 7_200_000 */
  jobDeadlineMs: positiveInt,
  /** One text-model call (a generation, a repair, a review). @default 1_200_000 */
  modelCallTimeoutMs: positiveInt,
  /** @default 1_048_576 */
  outputCapBytes: positiveInt,
  /** @default 10 */
  maxConcurrentJobs: positiveInt,
  /** @default 10 */
  jobsPerHour: positiveInt,
  requeueInterrupted: z.boolean(),
  /** @default 7 */
  retentionDays: positiveInt,
  /** @default 70 */
  reviewThreshold: z.coerce.number().min(0).max(100),
  sandbox: z.enum(SANDBOX_SETTINGS),
  /** Memory of one creation job's processes together. @default 2048 */
  jobMemoryMb: positiveInt.min(128),
  /** Processes and threads of one creation job together. @default 512 */
  jobMaxProcesses: positiveInt.min(32),
  /** What a job's workspace may hold, node_modules included. @default 1024 */
  workspaceLimitMb: positiveInt,
  /** Which plugins run in a host process of their own: `auto` (generated and user sources), `all`, `none`. @default auto */
  isolation: z.enum(ISOLATION_POLICIES),
  /** Memory of one isolated plugin's host process. @default 256 */
  hostMemoryMb: positiveInt.min(64),
  /** Processes and threads of one isolated plugin's host together. @default 64 */
  hostMaxProcesses: positiveInt.min(16),
  /** Bound of one call into an isolated plugin (action, provider, ...) and of its calls back. @default 30_000 */
  hostCallTimeoutMs: positiveInt,
  /** useModel calls one isolated plugin may make per hour (ten times that per day), across host restarts. @default 1000 */
  hostMaxModelCalls: positiveInt,
  /** Restarts of a crashed host in a row before it is left in error. @default 3 */
  hostMaxRestarts: z.coerce.number().int().min(0).max(20),
  /** Delay before the first restart of a crashed host; doubled each time. @default 1_000 */
  hostRestartDelayMs: positiveInt,
  /** Storage of one isolated plugin: its data folder and its cache entries together. @default 64 */
  pluginStorageMb: positiveInt,
  /** Keep one plugin host started ahead (warm) for the next isolated activation. @default true */
  warmHost: z.boolean(),
  apiToken: z.string().min(16).optional(),
  secretKey: z.string().min(16).optional(),
  allowInstallScripts: z.array(z.string()),
  /** Whether the agent may offer to extend itself when asked for what it cannot do (src/extension). @default true */
  selfExtension: z.boolean(),
  /** Entity ids that may accept an extension besides the world's owner and admins. @default none */
  extendAllowed: z.array(z.string().min(1).max(100)).max(100),
  /** Extensions (installs or creations started from chat) in any hour, across restarts. @default 3 */
  extensionsPerHour: z.coerce.number().int().min(0).max(100),
  /** Whether the creation service keeps one warm, sandboxed toolchain ready for the next job. @default true */
  warmToolchain: z.boolean(),
});

export type PluginDynamicConfig = z.infer<typeof ConfigSchema>;

/** The settings the package reads, by name. Documented in the README. */
export const SETTING_NAMES = {
  dataDir: 'PLUGIN_DYNAMIC_DATA_DIR',
  registryUrl: 'PLUGIN_DYNAMIC_REGISTRY_URL',
  registryCacheTtlMs: 'PLUGIN_DYNAMIC_REGISTRY_TTL_MS',
  registryTimeoutMs: 'PLUGIN_DYNAMIC_REGISTRY_TIMEOUT_MS',
  installTimeoutMs: 'PLUGIN_DYNAMIC_INSTALL_TIMEOUT_MS',
  loadTimeoutMs: 'PLUGIN_DYNAMIC_LOAD_TIMEOUT_MS',
  generator: 'PLUGIN_DYNAMIC_GENERATOR',
  maxIterations: 'PLUGIN_DYNAMIC_MAX_ITERATIONS',
  commandTimeoutMs: 'PLUGIN_DYNAMIC_COMMAND_TIMEOUT_MS',
  jobDeadlineMs: 'PLUGIN_DYNAMIC_JOB_DEADLINE_MS',
  modelCallTimeoutMs: 'PLUGIN_DYNAMIC_MODEL_CALL_TIMEOUT_MS',
  outputCapBytes: 'PLUGIN_DYNAMIC_OUTPUT_CAP_BYTES',
  maxConcurrentJobs: 'PLUGIN_DYNAMIC_MAX_CONCURRENT_JOBS',
  jobsPerHour: 'PLUGIN_DYNAMIC_JOBS_PER_HOUR',
  requeueInterrupted: 'PLUGIN_DYNAMIC_REQUEUE_INTERRUPTED',
  retentionDays: 'PLUGIN_DYNAMIC_RETENTION_DAYS',
  reviewThreshold: 'PLUGIN_DYNAMIC_REVIEW_THRESHOLD',
  sandbox: 'PLUGIN_DYNAMIC_SANDBOX',
  jobMemoryMb: 'PLUGIN_DYNAMIC_JOB_MEMORY_MB',
  jobMaxProcesses: 'PLUGIN_DYNAMIC_JOB_MAX_PROCESSES',
  workspaceLimitMb: 'PLUGIN_DYNAMIC_WORKSPACE_LIMIT_MB',
  isolation: 'PLUGIN_DYNAMIC_ISOLATION',
  hostMemoryMb: 'PLUGIN_DYNAMIC_HOST_MEMORY_MB',
  hostMaxProcesses: 'PLUGIN_DYNAMIC_HOST_MAX_PROCESSES',
  hostCallTimeoutMs: 'PLUGIN_DYNAMIC_HOST_CALL_TIMEOUT_MS',
  hostMaxModelCalls: 'PLUGIN_DYNAMIC_HOST_MAX_MODEL_CALLS',
  hostMaxRestarts: 'PLUGIN_DYNAMIC_HOST_MAX_RESTARTS',
  hostRestartDelayMs: 'PLUGIN_DYNAMIC_HOST_RESTART_DELAY_MS',
  pluginStorageMb: 'PLUGIN_DYNAMIC_PLUGIN_STORAGE_MB',
  warmHost: 'PLUGIN_DYNAMIC_WARM_HOST',
  apiToken: 'PLUGIN_DYNAMIC_API_TOKEN',
  secretKey: 'PLUGIN_DYNAMIC_SECRET_KEY',
  allowInstallScripts: 'PLUGIN_DYNAMIC_ALLOW_INSTALL_SCRIPTS',
  selfExtension: 'PLUGIN_DYNAMIC_SELF_EXTENSION',
  extendAllowed: 'PLUGIN_DYNAMIC_EXTEND_ALLOWED',
  extensionsPerHour: 'PLUGIN_DYNAMIC_EXTENSIONS_PER_HOUR',
  warmToolchain: 'PLUGIN_DYNAMIC_WARM_TOOLCHAIN',
} as const satisfies Record<keyof PluginDynamicConfig, string>;

function text(value: ReturnType<SettingSource>): string | undefined {
  if (value === null || value === undefined) return undefined;
  const s = String(value).trim();
  return s === '' ? undefined : s;
}

/** Reads every setting once, validates it, and says which one is wrong when one is. */
export function loadConfig(source: SettingSource, cwd: string = process.cwd()): PluginDynamicConfig {
  const get = (key: keyof PluginDynamicConfig): string | undefined => text(source(SETTING_NAMES[key]));
  const raw = {
    dataDir: resolve(cwd, get('dataDir') ?? join('.eliza', 'plugin-dynamic')),
    registryUrl: get('registryUrl') ?? DEFAULT_REGISTRY_URL,
    registryCacheTtlMs: get('registryCacheTtlMs') ?? 3_600_000,
    registryTimeoutMs: get('registryTimeoutMs') ?? 15_000,
    installTimeoutMs: get('installTimeoutMs') ?? 180_000,
    loadTimeoutMs: get('loadTimeoutMs') ?? 30_000,
    generator: get('generator') ?? 'auto',
    maxIterations: get('maxIterations') ?? 5,
    commandTimeoutMs: get('commandTimeoutMs') ?? 300_000,
    // A capable model took 19 minutes for a first generation and ~90% of each job: two hours per
    // job and twenty minutes per call leave room for five iterations without cutting off a success.
    jobDeadlineMs: get('jobDeadlineMs') ?? 7_200_000,
    modelCallTimeoutMs: get('modelCallTimeoutMs') ?? 1_200_000,
    outputCapBytes: get('outputCapBytes') ?? 1_048_576,
    maxConcurrentJobs: get('maxConcurrentJobs') ?? 10,
    jobsPerHour: get('jobsPerHour') ?? 10,
    requeueInterrupted: ['1', 'true', 'yes'].includes((get('requeueInterrupted') ?? '').toLowerCase()),
    retentionDays: get('retentionDays') ?? 7,
    reviewThreshold: get('reviewThreshold') ?? 70,
    sandbox: get('sandbox') ?? 'auto',
    jobMemoryMb: get('jobMemoryMb') ?? 2048,
    jobMaxProcesses: get('jobMaxProcesses') ?? 512,
    workspaceLimitMb: get('workspaceLimitMb') ?? 1024,
    isolation: get('isolation') ?? 'auto',
    hostMemoryMb: get('hostMemoryMb') ?? 256,
    hostMaxProcesses: get('hostMaxProcesses') ?? 64,
    hostCallTimeoutMs: get('hostCallTimeoutMs') ?? 30_000,
    hostMaxModelCalls: get('hostMaxModelCalls') ?? 1000,
    hostMaxRestarts: get('hostMaxRestarts') ?? 3,
    hostRestartDelayMs: get('hostRestartDelayMs') ?? 1_000,
    pluginStorageMb: get('pluginStorageMb') ?? 64,
    warmHost: !['0', 'false', 'no', 'off'].includes((get('warmHost') ?? 'on').toLowerCase()),
    apiToken: get('apiToken'),
    secretKey: get('secretKey'),
    allowInstallScripts: (get('allowInstallScripts') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    selfExtension: !['0', 'false', 'no', 'off'].includes((get('selfExtension') ?? 'on').toLowerCase()),
    extendAllowed: (get('extendAllowed') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    extensionsPerHour: get('extensionsPerHour') ?? 3,
    warmToolchain: !['0', 'false', 'no', 'off'].includes((get('warmToolchain') ?? 'on').toLowerCase()),
  };
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path[0] as keyof PluginDynamicConfig | undefined;
    const name = key ? SETTING_NAMES[key] : 'a setting';
    throw codedError('INVALID_SETTING', { setting: name, problem: issue?.message ?? 'unknown problem' });
  }
  return parsed.data;
}
