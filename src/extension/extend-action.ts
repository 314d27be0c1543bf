import type { Action, ActionResult, HandlerCallback, HandlerOptions, IAgentRuntime, Memory } from '@elizaos/core';
import { boundedModelCall } from '../creation/generators/model/model-call.js';
import type { PluginCreationService } from '../creation/plugin-creation-service.js';
import { codedError, toPluginDynamicError } from '../errors.js';
import type { PluginManagementService } from '../management/plugin-management-service.js';
import { PLUGIN_CREATION_SERVICE, PLUGIN_MANAGEMENT_SERVICE } from '../service-types.js';
import { messageText, stringParam, structuredParams, type ActionParameters } from '../shared/eliza/action-input.js';
import { hasTextModel } from '../shared/eliza/ask-model-params.js';
import { answerWith, carryOut, type CarryOutContext, type StepAnswer } from './carry-out.js';
import { extendAccess } from './extension-access.js';
import { EXTENSION_BOUNDS, type ExtensionOffer } from './extension-records.js';
import { extensionStore } from './extension-store.js';
import { findOptions } from './find-options.js';
import { readDecision } from './offer-decision.js';
import { offerText } from './offer-text.js';
import { permissionApprovalOf } from './permission-approval.js';
import { progressSender } from './progress-line.js';
import { rankedSourcesOf, type RankedSource } from './ranked-source.js';
import { registrySource } from './registry-source.js';
import { harmIn } from './request-screen.js';
import { runRequest } from './run-request.js';

export const EXTEND_ACTION = 'EXTEND_CAPABILITIES';
const PARAMETERS: ActionParameters = {
  request: { type: 'string', description: "the user's request that no loaded action can serve, in their words" },
};
/** One ranking question at most this long; the creation's own calls keep their own bound. */
const RANKING_TIMEOUT_MS = 120_000;

interface Services {
  management: PluginManagementService;
  creation: PluginCreationService;
}

function services(runtime: IAgentRuntime): Services {
  const management = runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE);
  const creation = runtime.getService<PluginCreationService>(PLUGIN_CREATION_SERVICE);
  if (!management || !creation) throw codedError('INTERNAL', { what: 'The plugin management and creation services', problem: 'are not running.' });
  return { management, creation };
}

/** plugin-dynamic's own actions: never "the action that already serves" a request. */
function ownActions(runtime: IAgentRuntime): Set<string> {
  return new Set([EXTEND_ACTION, ...(runtime.plugins.find((p) => p.name === 'plugin-dynamic')?.actions ?? []).map((a) => a.name)]);
}

async function mustBeAllowed(runtime: IAgentRuntime, message: Memory, listed: readonly string[]): Promise<void> {
  const access = await extendAccess(runtime, message, listed);
  if (access.allowed) return;
  throw codedError('EXTENSION_NOT_ALLOWED', {});
}

/** A message that reads as a request of its own rather than a word about a waiting plugin. */
const ABOUT_SETTINGS = /\b(?:set|done|configured?|key|token|secret|ready|added|entered|saved|finished)\b/i;
const isRequest = (text: string): boolean =>
  text.trim().split(/\s+/).length >= 4 && readDecision(text, 2).kind === 'unclear' && !ABOUT_SETTINGS.test(text);

/**
 * A plugin waiting for its settings: once they are set, any word from the person who asked gets the
 * original request answered; until then a short word is answered with what is missing, and a request
 * of its own goes on as one (the plugin keeps waiting).
 */
async function answerAwaiting(ctx: CarryOutContext, message: Memory, offer: ExtensionOffer, text: string): Promise<StepAnswer | undefined> {
  if (!offer.plugin) return undefined;
  if (readDecision(text, 1).kind === 'no') {
    await ctx.store.dropOffer(offer.id);
    return { text: `All right: ${offer.plugin} stays installed, and I will not answer that request with it.`, data: { declined: offer.id } };
  }
  const view = ctx.management.get(offer.plugin);
  if (view.missingSettings.length > 0 && isRequest(text)) return undefined;
  await mustBeAllowed(ctx.runtime, message, ctx.config.extendAllowed);
  return answerWith(ctx, offer, view);
}

async function answerOffer(ctx: CarryOutContext, message: Memory, offer: ExtensionOffer, text: string): Promise<StepAnswer | undefined> {
  const decision = readDecision(text, offer.options.length);
  if (decision.kind === 'no') {
    await ctx.store.dropOffer(offer.id);
    return { text: 'All right: nothing was installed or written.', data: { declined: offer.id } };
  }
  if (decision.kind === 'unclear') return undefined;
  await mustBeAllowed(ctx.runtime, message, ctx.config.extendAllowed);
  const option = offer.options[decision.option - 1];
  return option ? carryOut(ctx, offer, option) : undefined;
}

type ExtendContext = CarryOutContext & { extraSources: RankedSource[] };

async function newRequest(ctx: ExtendContext, message: Memory, request: string): Promise<StepAnswer> {
  const { runtime, config, store } = ctx;
  await mustBeAllowed(runtime, message, config.extendAllowed);
  const harm = harmIn(request);
  if (harm) throw codedError('EXTENSION_REFUSED', { reason: harm });
  const recent = await store.lastHour();
  if (recent.length >= config.extensionsPerHour) throw codedError('EXTENSION_RATE_LIMITED', { count: recent.length, limit: config.extensionsPerHour });
  const callModel = hasTextModel(runtime) ? boundedModelCall(runtime, { timeoutMs: Math.min(config.modelCallTimeoutMs, RANKING_TIMEOUT_MS) }) : undefined;
  const finding = await findOptions({
    runtime,
    config,
    creation: ctx.creation,
    sources: [registrySource(ctx.management), ...ctx.extraSources],
    ownActions: ownActions(runtime),
    callModel,
    request,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  if (finding.kind === 'refused') throw codedError('EXTENSION_REFUSED', { reason: finding.reason });
  if (finding.kind === 'served') {
    const run = await runRequest({ runtime, action: finding.action, request, requestMessageId: message.id, roomId: message.roomId, entityId: message.entityId, callback: ctx.callback });
    return { text: run.forwarded ? '' : run.text, data: { servedBy: finding.action, answered: run.success, answer: run.text } };
  }
  const now = Date.now();
  const offer: ExtensionOffer = {
    id: crypto.randomUUID(),
    roomId: message.roomId,
    entityId: message.entityId,
    request,
    ...(message.id ? { requestMessageId: message.id } : {}),
    options: finding.options,
    state: 'offered',
    createdAt: now,
    expiresAt: now + EXTENSION_BOUNDS.offerTtlMs,
  };
  await store.putOffer(offer);
  return { text: offerText(finding.options, finding.reason), data: { offer } };
}

/**
 * EXTEND_CAPABILITIES: the agent meets a request no loaded action serves. It finds plugins that
 * could (registry and any extra ranked source) or a plugin it could write, offers the best one or
 * two, and on the same person's yes in the same room installs or creates it, loads it and answers
 * the original request with it. Pending offers live in the agent's database. Other sources
 * (registerRankedSource) and an approval store (setPermissionApproval) plug in per runtime.
 */
export const extendCapabilitiesAction: Action = {
  name: EXTEND_ACTION,
  similes: ['ADD_CAPABILITY', 'EXTEND_AGENT', 'FIND_OR_CREATE_PLUGIN', 'ANSWER_EXTENSION_OFFER'],
  description:
    'Use when the user asks for something none of the available actions can do (data, a service or a tool the agent lacks), or answers an offer to add a plugin: finds a plugin in the registry or writes one, asks before installing, then does what was asked.',
  examples: [
    [
      { name: '{{user}}', content: { text: "What's the weather in Paris right now?" } },
      { name: '{{agent}}', content: { text: "I can't do that yet, but I can add a plugin that does: ...", actions: [EXTEND_ACTION] } },
    ],
  ],
  validate: async (runtime) => {
    const management = runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE);
    return management !== null && management.settings.selfExtension && runtime.getService(PLUGIN_CREATION_SERVICE) !== null;
  },
  handler: async (runtime, message, _state, options?: HandlerOptions, callback?: HandlerCallback): Promise<ActionResult> => {
    try {
      const { management, creation } = services(runtime);
      if (!management.settings.selfExtension) throw codedError('EXTENSION_DISABLED', {});
      const ctx: ExtendContext = {
        runtime,
        config: management.settings,
        management,
        creation,
        store: extensionStore(runtime),
        approval: permissionApprovalOf(runtime),
        callback,
        progress: progressSender(runtime, message, callback, EXTEND_ACTION),
        extraSources: rankedSourcesOf(runtime),
      };
      const text = messageText(message);
      const explicit = stringParam(structuredParams(message, options, PARAMETERS), 'request');
      const pending = explicit ? {} : await ctx.store.offersFor(message.roomId, message.entityId);
      const answer =
        (pending.offered && (await answerOffer(ctx, message, pending.offered, text))) ??
        (pending.awaiting && (await answerAwaiting(ctx, message, pending.awaiting, text))) ??
        (await newRequest(ctx, message, (explicit ?? text).slice(0, EXTENSION_BOUNDS.requestChars)));
      if (answer.text) await callback?.({ text: answer.text, actions: [EXTEND_ACTION] });
      return { success: true, text: answer.text || (typeof answer.data['answer'] === 'string' ? answer.data['answer'] : ''), values: {}, data: { actionName: EXTEND_ACTION, ...answer.data } };
    } catch (error) {
      const e = toPluginDynamicError(error);
      if (e.code.startsWith('EXTENSION_')) {
        runtime.logger.info({ src: 'plugin-dynamic:extension', code: e.code, entityId: message.entityId, roomId: message.roomId }, `Self-extension refused: ${e.message}`);
      }
      const text = `${e.message} (${e.code}) ${e.hint}`;
      await callback?.({ text, actions: [EXTEND_ACTION], error: true });
      return { success: false, text, error: e.message, data: { actionName: EXTEND_ACTION, code: e.code, hint: e.hint } };
    }
  },
};
