import { join } from 'node:path';
import { PluginDynamicError } from '../../errors.js';
import { runProcess, scrubbedEnv, type ProcessResult } from '../../shared/process-runner.js';

export interface NpmOptions {
  cwd: string;
  dataDir: string;
  timeoutMs: number;
  outputCapBytes: number;
  signal?: AbortSignal;
}

/**
 * npm as a child process: argv only, no shell, an environment with nothing of the host's secrets
 * (its own HOME and cache under the data folder), install scripts never run.
 */
export async function runNpm(args: string[], opts: NpmOptions): Promise<ProcessResult> {
  const env = scrubbedEnv(join(opts.dataDir, 'npm-home'), {
    npm_config_cache: join(opts.dataDir, 'npm-cache'),
    npm_config_ignore_scripts: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...(process.env['npm_config_registry'] ? { npm_config_registry: process.env['npm_config_registry'] } : {}),
  });
  const result = await runProcess({
    command: 'npm',
    args,
    cwd: opts.cwd,
    env,
    timeoutMs: opts.timeoutMs,
    maxOutputBytes: opts.outputCapBytes,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (result.cancelled) throw new PluginDynamicError('INSTALL_FAILED', `npm ${args[0]} was cancelled.`);
  if (result.timedOut) throw new PluginDynamicError('INSTALL_TIMEOUT', `npm ${args[0]} took longer than ${Math.round(opts.timeoutMs / 1000)} s.`);
  return result;
}

/** The tail of npm's complaint, for an error message a person can act on. */
export function npmComplaint(result: ProcessResult): string {
  const lines = `${result.stderr}\n${result.stdout}`
    .split('\n')
    .filter((l) => /npm (error|ERR!)/.test(l) || /E404|ETARGET|ENOTFOUND|ECONNREFUSED/.test(l));
  return (lines.length ? lines : result.stderr.split('\n')).slice(-8).join('\n').trim().slice(0, 1_500);
}
