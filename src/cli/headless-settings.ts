import { join } from 'node:path';
import { HEADLESS_SETTING } from '../shared/agent-lock.js';

/**
 * The settings of the CLI's runtime: the data folder, and every PLUGIN_DYNAMIC_* from the
 * environment. Apart from headless-runtime.ts so that the fast readers (fast/) need no runtime.
 */
export function headlessSettings(dataDir: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('PLUGIN_DYNAMIC_') && value) settings[key] = value;
  }
  settings['PLUGIN_DYNAMIC_DATA_DIR'] = dataDir;
  settings['PGLITE_DATA_DIR'] = join(dataDir, 'db');
  // The CLI holds its own lock (cli.lock): this runtime is not an agent others should be sent to.
  settings[HEADLESS_SETTING] = 'true';
  return settings;
}
