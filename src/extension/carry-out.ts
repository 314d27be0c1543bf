import type { HandlerCallback, IAgentRuntime } from '@elizaos/core';
import type { PluginDynamicConfig } from '../config.js';
import type { JobRecord } from '../creation/jobs/job-record.js';
import type { PluginCreationService } from '../creation/plugin-creation-service.js';
import { codedError, PluginDynamicError } from '../errors.js';
import type { PluginManagementService } from '../management/plugin-management-service.js';
import type { PluginView } from '../management/plugin-view.js';
import { EXTENSION_BOUNDS, type ExtensionOffer, type ExtensionOption } from './extension-records.js';
import type { ExtensionStore } from './extension-store.js';
import { optionPlugin, settingsAdvice } from './offer-text.js';
import type { PermissionApproval } from './permission-approval.js';
import { rankedSourcesOf } from './ranked-source.js';
import { actionFor, runRequest } from './run-request.js';

const LOG_SRC = 'plugin-dynamic:extension';
/** Progress messages one creation may send into the conversation. */
const MAX_PROGRESS = 12;

export interface CarryOutContext {
  runtime: IAgentRuntime;
  config: PluginDynamicConfig;
  management: PluginManagementService;
  creation: PluginCreationService;
  store: ExtensionStore;
  approval: PermissionApproval;
  callback: HandlerCallback | undefined;
  /** Sends a progress line as it happens (progress-line.ts); the callback when absent. */
  progress?: (text: string) => Promise<void>;
  signal?: AbortSignal;
}

/** What the person is told at the end of a step, and what the action returns. */
export interface StepAnswer {
  text: string;
  data: Record<string, unknown>;
}

function progress(ctx: CarryOutContext, text: string): Promise<unknown> {
  return ctx.progress ? ctx.progress(text) : Promise.resolve(ctx.callback?.({ text, actions: ['EXTEND_CAPABILITIES'] }));
}

/** Sends a creation's phases into the conversation as they happen (bounded); returns the unsubscribe. */
function followJob(ctx: CarryOutContext, jobId: string, plugin: string): () => void {
  let sent = 0;
  let last = '';
  return ctx.creation.onJobChange((job) => {
    if (job.id !== jobId || job.status !== 'running' || !job.phase || sent >= MAX_PROGRESS) return;
    const line = `Creating ${plugin}: ${job.phase}${job.iteration > 1 ? ` (iteration ${job.iteration})` : ''}...`;
    if (line === last) return;
    last = line;
    sent += 1;
    void Promise.resolve(progress(ctx, line)).catch(() => undefined);
  });
}

async function create(ctx: CarryOutContext, offer: ExtensionOffer, option: Extract<ExtensionOption, { kind: 'create' }>): Promise<PluginView> {
  const queued = await ctx.creation.createFromSpec(option.spec, { requestedBy: offer.entityId, activate: true });
  await progress(ctx, `Creating ${option.pluginName} (job ${queued.id.slice(0, 8)}); I will tell you how it goes.`);
  const stop = followJob(ctx, queued.id, option.pluginName);
  let job: JobRecord;
  try {
    job = await ctx.creation.waitForJob(queued.id, ctx.signal ? { signal: ctx.signal } : {});
  } finally {
    stop();
  }
  if (job.status !== 'succeeded' || !job.result) {
    throw new PluginDynamicError(
      job.error?.code === 'GENERATION_FAILED' ? 'GENERATION_FAILED' : 'INTERNAL',
      `Creating ${option.pluginName} ${job.status}${job.error ? `: ${job.error.message}` : ''}.`,
    );
  }
  return ctx.management.get(job.result.packageName);
}

/** The original request answered by the loaded plugin, or what it still needs. */
export async function answerWith(ctx: CarryOutContext, offer: ExtensionOffer, view: PluginView): Promise<StepAnswer> {
  if (view.missingSettings.length > 0) {
    await ctx.store.putOffer({
      ...offer,
      state: 'awaiting-settings',
      plugin: view.packageName,
      missing: view.missingSettings.slice(0, 30),
      expiresAt: Date.now() + EXTENSION_BOUNDS.awaitSettingsMs,
    });
    const sensitive = new Set(view.settings.filter((s) => s.sensitive).map((s) => s.name));
    return {
      text: `${view.packageName} is installed but needs ${view.missingSettings.join(', ')} before it can answer. ${settingsAdvice(view.packageName, view.missingSettings, sensitive)} Tell me once it is set and I will answer your request.`,
      data: { plugin: view.packageName, status: view.status, missingSettings: view.missingSettings },
    };
  }
  const active = view.status === 'active' ? view : await ctx.management.activate(view.packageName, ctx.signal ? { signal: ctx.signal } : {});
  const action = actionFor(active, offer.request);
  await ctx.store.dropOffer(offer.id);
  if (!action) {
    return { text: `${active.packageName} is loaded, but it has no action to answer your request with.`, data: { plugin: active.packageName } };
  }
  const run = await runRequest({
    runtime: ctx.runtime,
    action,
    request: offer.request,
    requestMessageId: offer.requestMessageId,
    roomId: offer.roomId,
    entityId: offer.entityId,
    callback: ctx.callback,
  });
  return {
    text: run.forwarded ? '' : run.text,
    data: { plugin: active.packageName, action, answered: run.success, answer: run.text },
  };
}

/**
 * Carries out the option a person said yes to: checked against the hourly limit (nothing is done
 * past it), approved (the yes is the approval of the permissions the offer showed), counted and
 * logged with who asked under the ledger's lock, then installed or created (isolated by default) and loaded, and the original
 * request answered; or the plugin waits for its settings.
 */
export async function carryOut(ctx: CarryOutContext, offer: ExtensionOffer, option: ExtensionOption): Promise<StepAnswer> {
  const plugin = optionPlugin(option);
  const limit = ctx.config.extensionsPerHour;
  const recent = await ctx.store.lastHour();
  if (recent.length >= limit) throw codedError('EXTENSION_RATE_LIMITED', { count: recent.length, limit });
  // The yes to an offer that showed the permissions is the approval; a store of approvals may refuse.
  await ctx.approval.approve({ offerId: offer.id, approvedBy: offer.entityId, plugin, kind: option.kind, permissions: option.permissions ?? [] });
  const counted = await ctx.store.record(
    { at: Date.now(), entityId: offer.entityId, roomId: offer.roomId, kind: option.kind, plugin, request: offer.request },
    limit,
  );
  if (!counted.recorded) throw codedError('EXTENSION_RATE_LIMITED', { count: counted.count, limit });
  // The yes is spent: a failure below is reported, and a second yes does not install twice.
  await ctx.store.dropOffer(offer.id);
  ctx.runtime.logger.info(
    { src: LOG_SRC, plugin, kind: option.kind, requestedBy: offer.entityId, roomId: offer.roomId, request: offer.request.slice(0, 200) },
    `Self-extension: ${option.kind} ${plugin}, asked by ${offer.entityId}.`,
  );
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  const source = option.kind === 'install' ? rankedSourcesOf(ctx.runtime).find((s) => s.name === option.foundIn && s.install) : undefined;
  const view =
    option.kind === 'create'
      ? await create(ctx, offer, option)
      : source?.install
        ? await source.install(option.name, signal)
        : await ctx.management.install(option.name, { activate: true, ...signal });
  return answerWith(ctx, offer, view);
}
