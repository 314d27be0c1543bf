import { hostname } from 'node:os';
import { z } from 'zod';
import { codedError } from '../errors.js';

const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** The fleet's settings, beside the plugin's own (PLUGIN_DYNAMIC_*); POSTGRES_URL is plugin-sql's. */
const FleetSettingsSchema = z.object({
  postgresUrl: z.string().min(1).optional(),
  /** Worker lanes inside the agent: 0 = submit only, jobs run on `plugin-dynamic worker` processes. */
  agentWorkers: count(0, 32).default(1),
  /** Sandboxed builds at once on this machine, for every agent and worker on it together. */
  serverSlots: count(1, 64).default(2),
  retryLimit: count(0, 10).default(2),
  pollMs: count(100, 60_000).default(2_000),
  host: z.string().min(1).max(200).default(hostname()),
});
export type FleetSettings = z.infer<typeof FleetSettingsSchema>;

const KEYS: Record<keyof FleetSettings, string> = {
  postgresUrl: 'POSTGRES_URL',
  agentWorkers: 'PLUGIN_DYNAMIC_FLEET_WORKERS',
  serverSlots: 'PLUGIN_DYNAMIC_FLEET_SERVER_SLOTS',
  retryLimit: 'PLUGIN_DYNAMIC_FLEET_RETRY_LIMIT',
  pollMs: 'PLUGIN_DYNAMIC_FLEET_POLL_MS',
  host: 'PLUGIN_DYNAMIC_FLEET_HOST',
};

/** Reads the fleet's settings; a bad value is INVALID_SETTING naming it. */
export function loadFleetSettings(get: (key: string) => unknown): FleetSettings {
  const raw: Record<string, unknown> = {};
  for (const [field, key] of Object.entries(KEYS)) {
    const value = get(key);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      if (value !== '') raw[field] = String(value);
    }
  }
  const parsed = FleetSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? '') as keyof FleetSettings;
    throw codedError('INVALID_SETTING', { setting: KEYS[field] ?? field, problem: issue?.message ?? 'is invalid' });
  }
  return parsed.data;
}
