import { z } from 'zod';
import type { SettingSource } from '../../config.js';
import { codedError } from '../../errors.js';
import { isHostName, normalizeHostName } from '../../shared/sandbox/host-name.js';
import { PERMISSION_LIMITS, readDeclaredPermissions } from '../permissions/plugin-permissions.js';
import type { PluginManifest } from './plugin-manifest.js';

/**
 * The agent-wide setting that grants (or withdraws) network hosts per plugin, as JSON:
 * `{"@acme/plugin-weather": ["api.weather.example"], "plugin-notes": []}`.
 */
export const NETWORK_HOSTS_SETTING = 'PLUGIN_DYNAMIC_NETWORK_HOSTS';

/** More hosts than this for one plugin are not taken (the permission vocabulary's bound). */
const MAX_HOSTS = PERMISSION_LIMITS.hosts;

export interface DeclaredNetworkHosts {
  /** Host names the plugin may reach: normalized, distinct. Empty means no network at all. */
  hosts: string[];
  /** Where the list came from: the agent's setting, the plugin's package.json, or neither. */
  source: 'setting' | 'package' | 'none';
  /** What was left out of the package.json's list and why, for the install log. */
  problems: string[];
}

const SettingSchema = z.record(z.string().min(1), z.array(z.string()).max(MAX_HOSTS));

function hostsSetting(settings: SettingSource): Record<string, string[]> | undefined {
  const raw = settings(NETWORK_HOSTS_SETTING);
  if (raw === null || raw === undefined || String(raw).trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(raw));
  } catch {
    parsed = undefined;
  }
  const checked = SettingSchema.safeParse(parsed);
  const example = '{"plugin-name": ["api.example.com"]}';
  if (!checked.success) throw codedError('INVALID_SETTING', { setting: NETWORK_HOSTS_SETTING, problem: `it must be JSON such as ${example}, at most ${MAX_HOSTS} hosts per plugin` });
  for (const [plugin, hosts] of Object.entries(checked.data)) {
    const bad = hosts.find((host) => !isHostName(normalizeHostName(host)));
    if (bad !== undefined) {
      throw codedError('INVALID_SETTING', { setting: NETWORK_HOSTS_SETTING, problem: `"${bad}" (for ${plugin}) is not a host name such as "api.github.com": no scheme, port, path, wildcard, IP address or localhost` });
    }
  }
  return checked.data;
}

/**
 * The host names a plugin may reach over the network. The agent's setting decides when it names the
 * plugin (an empty list there withdraws all access); otherwise the plugin's declared permissions
 * (`agentConfig.permissions.network`, read by readDeclaredPermissions like every other permission),
 * where creation writes a generated plugin's specification. An entry that is not a plain host name
 * (an IP, localhost, a wildcard, a URL) is left out and reported; a declaration that is not valid
 * at all gives the least (no network), also reported. No declaration at all means no network.
 */
export function declaredNetworkHosts(manifest: Pick<PluginManifest, 'name' | 'agentConfig'>, settings: SettingSource): DeclaredNetworkHosts {
  const granted = hostsSetting(settings)?.[manifest.name];
  if (granted) return { hosts: [...new Set(granted.map(normalizeHostName))], source: 'setting', problems: [] };
  const declared = readDeclaredPermissions(manifest.agentConfig);
  const hosts = declared.permissions.network;
  return { hosts, source: hosts.length > 0 ? 'package' : 'none', problems: declared.problems };
}
