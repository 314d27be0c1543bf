import { ModelType, type IAgentRuntime } from '@elizaos/core';
import { z } from 'zod';
import type { PluginDynamicConfig } from '../config.js';
import { codedError } from '../errors.js';
import { runtimeReport, type RuntimeReport } from '../shared/child-node.js';
import { GENERATOR_CHOICES, GENERATOR_KINDS, type GeneratorChoice, type GeneratorKind } from './generators/generator-kinds.js';
import { bwrapWorks, openResourceGroup, sweepResourceGroups } from '../shared/sandbox/index.js';
import { jobGroupBounds } from './job-sandbox.js';

export type { GeneratorChoice } from './generators/generator-kinds.js';

/** What plugin creation can do here. Keys are in the order creationCapabilities writes them. */
export const CreationCapabilitiesSchema = z.object({
  generator: z.enum(GENERATOR_CHOICES),
  modelAvailable: z.boolean(),
  /** The generator a job started now would use. */
  effectiveGenerator: z.enum(GENERATOR_KINDS),
  sandbox: z.string(),
  limits: z.object({
    maxIterations: z.number(),
    maxConcurrentJobs: z.number(),
    jobsPerHour: z.number(),
    commandTimeoutMs: z.number(),
    jobDeadlineMs: z.number(),
    modelCallTimeoutMs: z.number(),
    outputCapBytes: z.number(),
    jobMemoryMb: z.number(),
    jobMaxProcesses: z.number(),
    workspaceLimitMb: z.number(),
  }),
  /** How memory and process bounds are enforced here ("cgroup-v1"), or why they are not. */
  resourceBounds: z.string(),
  /** The agent's runtime (node or bun) and the Node its child processes run on (absent from older agents). */
  runtime: z.object({ agent: z.string(), children: z.string(), childrenOk: z.boolean() }).optional() satisfies z.ZodType<RuntimeReport | undefined>,
  toolchain: z.record(z.string(), z.string()).optional(),
});
export type CreationCapabilities = z.output<typeof CreationCapabilitiesSchema>;

/** What the start-up probes found on this machine: sandbox, control groups, the Node children run on. */
export interface MachineProbes {
  /** What the sandbox setting gives here. */
  sandbox: string;
  /** Whether control groups bound each job's memory and processes here. */
  resourceBounds: string;
  runtime?: RuntimeReport;
}

/** The probes' answer before they have run. */
export const UNPROBED: MachineProbes = { sandbox: 'not checked yet', resourceBounds: 'not checked yet' };

async function probeSandbox(settings: PluginDynamicConfig): Promise<string> {
  if (settings.sandbox === 'none') return 'none (PLUGIN_DYNAMIC_SANDBOX=none: generated code runs unsandboxed)';
  return (await bwrapWorks())
    ? 'bwrap'
    : 'unavailable (install bubblewrap, or set PLUGIN_DYNAMIC_SANDBOX=none): generated code will not run';
}

async function probeResourceBounds(settings: PluginDynamicConfig): Promise<string> {
  // Groups left by a process that crashed are emptied first; then one probe says whether they work.
  await sweepResourceGroups();
  const probe = openResourceGroup('probe', jobGroupBounds(settings));
  const status = probe
    ? `${probe.kind}: ${settings.jobMemoryMb} MB memory and ${settings.jobMaxProcesses} processes per job`
    : 'not enforced: control groups are not writable here (run as root, or with a delegated cgroup, and install cgroup-tools)';
  await probe?.dispose();
  return status;
}

/** Runs the start-up probes, one after the other. */
export async function probeMachine(settings: PluginDynamicConfig): Promise<MachineProbes> {
  const sandbox = await probeSandbox(settings);
  const resourceBounds = await probeResourceBounds(settings);
  const runtime = await runtimeReport();
  return { sandbox, resourceBounds, runtime };
}

/** Whether a TEXT_LARGE model is registered (the model generator and the review need one). */
export function hasLargeModel(runtime: IAgentRuntime): boolean {
  return runtime.getModel(ModelType.TEXT_LARGE) !== undefined;
}

/** The generator a job asking for `choice` gets now; asking for the model with none registered is refused. */
export function effectiveGenerator(
  runtime: IAgentRuntime,
  choice: GeneratorChoice,
): GeneratorKind {
  if (choice === 'auto') return hasLargeModel(runtime) ? 'model' : 'template';
  if (choice === 'model' && !hasLargeModel(runtime)) {
    throw codedError('MODEL_UNAVAILABLE', { what: 'The model generator' });
  }
  return choice;
}

/** What plugin creation can do here, for the capabilities provider, doctor and the start-up line. */
export function creationCapabilities(
  runtime: IAgentRuntime,
  settings: PluginDynamicConfig,
  probes: MachineProbes,
  toolchain: Record<string, string> | undefined,
): CreationCapabilities {
  return {
    generator: settings.generator,
    modelAvailable: hasLargeModel(runtime),
    effectiveGenerator: effectiveGenerator(runtime, settings.generator),
    sandbox: probes.sandbox,
    limits: {
      maxIterations: settings.maxIterations,
      maxConcurrentJobs: settings.maxConcurrentJobs,
      jobsPerHour: settings.jobsPerHour,
      commandTimeoutMs: settings.commandTimeoutMs,
      jobDeadlineMs: settings.jobDeadlineMs,
      modelCallTimeoutMs: settings.modelCallTimeoutMs,
      outputCapBytes: settings.outputCapBytes,
      jobMemoryMb: settings.jobMemoryMb,
      jobMaxProcesses: settings.jobMaxProcesses,
      workspaceLimitMb: settings.workspaceLimitMb,
    },
    resourceBounds: probes.resourceBounds,
    ...(probes.runtime ? { runtime: probes.runtime } : {}),
    toolchain,
  };
}
