import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { codedError } from '../../errors.js';
import { sandboxBoundHit } from '../../shared/sandbox/index.js';
import { runProcess, scrubbedEnv, type ProcessSpec } from '../../shared/process-runner.js';
import type { ComponentSummary } from '../types.js';
import { childNode } from '../../shared/child-node.js';

export interface ModuleInspection {
  pluginName: string;
  description: string;
  components: ComponentSummary;
}

/**
 * Runs in a child process: imports the entry, finds the Plugin export the way the loader does, and
 * prints the names of what it declares. The host never runs untrusted code just to install it.
 */
const INSPECTOR = `
const url = process.argv[1];
const looks = (v) => v && typeof v === 'object' && typeof v.name === 'string' && v.name && typeof v.description === 'string';
try {
  const ns = await import(url);
  const plugin = [ns.default, ns.plugin, ...Object.values(ns), ns.default && ns.default.default].find(looks);
  if (!plugin) { console.log(JSON.stringify({ ok: false, reason: 'it exports no object with a name and a description' })); process.exit(0); }
  const names = (list, key = 'name') => Array.isArray(list) ? list.map((c) => c && c[key]).filter((n) => typeof n === 'string') : [];
  console.log(JSON.stringify({ ok: true, pluginName: plugin.name, description: plugin.description, components: {
    actions: names(plugin.actions), providers: names(plugin.providers), evaluators: names(plugin.evaluators),
    services: names(plugin.services, 'serviceType'), routes: Array.isArray(plugin.routes) ? plugin.routes.map((r) => (r.type || 'GET') + ' ' + r.path) : [],
    models: Object.keys(plugin.models || {}), events: Object.keys(plugin.events || {}) } }));
  process.exit(0);
} catch (error) {
  console.log(JSON.stringify({ ok: false, reason: 'importing it failed: ' + (error && error.message ? error.message : String(error)).slice(0, 500) }));
  process.exit(0);
}
`;

export async function inspectPluginModule(
  entry: string,
  opts: { timeoutMs: number; home: string; signal?: AbortSignal; wrap?: (spec: ProcessSpec) => ProcessSpec; boundsHit?: () => string[] },
): Promise<ModuleInspection> {
  const spec: ProcessSpec = {
    command: (await childNode(opts.signal)).path,
    args: ['--input-type=module', '-e', INSPECTOR, pathToFileURL(entry).href],
    cwd: dirname(entry),
    env: scrubbedEnv(opts.home, { NODE_ENV: 'production' }),
    timeoutMs: opts.timeoutMs,
    maxOutputBytes: 1_048_576,
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
  const result = await runProcess(opts.wrap ? opts.wrap(spec) : spec);
  const line = result.stdout.trim().split('\n').reverse().find((l) => l.startsWith('{"ok"'));
  if (!line) {
    const bounds = [...new Set([...(opts.boundsHit?.() ?? []), sandboxBoundHit(result)].filter((b) => b !== undefined))];
    const why =
      bounds.length > 0
        ? `importing it was stopped by the sandbox: ${bounds.join(' and ')}`
        : result.stderr.trim().split('\n').slice(-3).join(' ') || `the check exited with ${result.exitCode}`;
    throw codedError('NOT_A_PLUGIN', { subject: "The package's entry", problem: `could not be checked: ${why}.` });
  }
  const parsed = JSON.parse(line) as { ok: boolean; reason?: string } & Partial<ModuleInspection>;
  if (!parsed.ok || !parsed.pluginName || !parsed.components) {
    throw codedError('NOT_A_PLUGIN', { subject: 'The package', problem: `is not an ElizaOS plugin: ${parsed.reason ?? 'unknown reason'}.` });
  }
  return { pluginName: parsed.pluginName, description: parsed.description ?? '', components: parsed.components };
}
