import type { CreationCapabilities } from './creation/capabilities.js';
import type { IsolationPolicy } from './management/host/isolation.js';

/** PLUGIN_DYNAMIC_ISOLATION: which loaded plugins run in a sandboxed host of their own. */
type IsolationSetting = IsolationPolicy;
const ISOLATION_WORDS: Record<IsolationSetting, string> = {
  auto: 'generated plugins and user sources isolated, registry plugins in-process',
  all: 'every loaded plugin isolated',
  none: 'every loaded plugin in-process',
};

const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`;

/**
 * The one line plugin-dynamic logs when it starts: where its data lives, how untrusted code is
 * contained and bounded, which queue runs creation jobs, which generator a job would use, and which
 * runtimes run it.
 */
export function startupSummary(caps: CreationCapabilities, dataDir: string, isolation: IsolationSetting, queue?: string): string {
  const l = caps.limits;
  const sandbox = caps.sandbox === 'bwrap' ? 'bwrap' : caps.sandbox;
  const groups = caps.resourceBounds.startsWith('cgroup') ? caps.resourceBounds : `no control groups (${caps.resourceBounds})`;
  const generator =
    caps.generator === caps.effectiveGenerator
      ? caps.generator
      : `${caps.generator} (${caps.effectiveGenerator} now: ${caps.modelAvailable ? 'a TEXT_LARGE model is registered' : 'no TEXT_LARGE model, so chat cannot be answered'})`;
  const runtime = caps.runtime ? `; agent on ${caps.runtime.agent}, child processes on ${caps.runtime.children}` : '';
  return (
    `plugin-dynamic started: data folder ${dataDir}; sandbox ${sandbox}, ${groups}; ` +
    `bounds: ${seconds(l.commandTimeoutMs)} and ${Math.round(l.outputCapBytes / 1024)} KB output per tool run, ` +
    `${seconds(l.modelCallTimeoutMs)} per model call, ${seconds(l.jobDeadlineMs)} per job, workspace ${l.workspaceLimitMb} MB, ${l.maxIterations} iterations, ` +
    `${l.maxConcurrentJobs} jobs at once, ${l.jobsPerHour} per hour; ${queue ? `job queue ${queue}; ` : ''}isolation ${isolation} (${ISOLATION_WORDS[isolation]}); generator ${generator}${runtime}`
  );
}
