import type { IAgentRuntime } from '@elizaos/core';
import type { PluginRecord } from '../state/plugin-record.js';
import { secretList } from './redact.js';

/**
 * Every value that must never reach a prompt: the sensitive settings stored for plugins, the live
 * value of any setting an installed plugin declares sensitive, and the character's secrets.
 */
export function managedSecretValues(runtime: IAgentRuntime, records: readonly PluginRecord[], storedSensitive: readonly string[]): string[] {
  const declared = records.flatMap((r) => r.settings.filter((s) => s.sensitive).map((s) => runtime.getSetting(s.name)));
  const character = Object.values(runtime.character.secrets ?? {});
  return secretList([...storedSensitive, ...declared, ...character]);
}

/** The secret values of managed plugins only: stored sensitive settings and the live values of declared ones. */
export function pluginSecretValues(runtime: IAgentRuntime, records: readonly PluginRecord[], storedSensitive: readonly string[]): string[] {
  const declared = records.flatMap((r) => r.settings.filter((s) => s.sensitive).map((s) => runtime.getSetting(s.name)));
  return secretList([...storedSensitive, ...declared]);
}
