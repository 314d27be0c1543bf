import type { IAgentRuntime } from '@elizaos/core';
import type { PluginDynamicConfig } from '../config.js';
import type { ModelCall } from '../creation/generators/model/model-call.js';
import type { PluginCreationService } from '../creation/plugin-creation-service.js';
import { isPluginDynamicError } from '../errors.js';
import { decideIsolation } from '../management/host/isolation.js';
import { describePermissions } from '../management/permissions/plugin-permissions.js';
import type { CreateOption, ExtensionOption, InstallOption } from './extension-records.js';
import { actionsForRequest } from './loaded-actions.js';
import { rankRequest, RANK_BOUNDS } from './model-ranking.js';
import { mergeCandidates, type RankedCandidate, type RankedSource } from './ranked-source.js';
import { publishedNeeds } from './registry-manifest.js';
import { searchWords } from './request-screen.js';
import { specInput, specSummary } from './spec-input.js';

export type Finding =
  | { kind: 'served'; action: string; reason: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'offer'; options: ExtensionOption[]; reason: string };

export interface FindInput {
  runtime: IAgentRuntime;
  config: PluginDynamicConfig;
  creation: PluginCreationService;
  sources: RankedSource[];
  /** Names of plugin-dynamic's own actions, never "the action that serves" a request. */
  ownActions: ReadonlySet<string>;
  callModel: ModelCall | undefined;
  request: string;
  signal?: AbortSignal;
}

const LOG_SRC = 'plugin-dynamic:extension';

async function installOption(config: PluginDynamicConfig, c: RankedCandidate, signal?: AbortSignal): Promise<InstallOption> {
  const needs = c.version ? await publishedNeeds(config, c.name, c.version, signal) : undefined;
  return {
    kind: 'install',
    name: c.name,
    ...(c.version ? { version: c.version } : {}),
    description: c.description.slice(0, 300),
    ...(needs ? { settings: needs.settings.slice(0, 30), permissions: needs.permissions } : {}),
    trust: 'registry',
    runs: decideIsolation(config.isolation, 'registry', undefined).mode,
    foundIn: c.source,
  };
}

async function createOption(input: FindInput): Promise<CreateOption | undefined> {
  try {
    const spec = await input.creation.describe(input.request, input.signal ? { signal: input.signal } : {});
    return {
      kind: 'create',
      pluginName: spec.name,
      spec: specInput(spec),
      summary: specSummary(spec),
      settings: spec.environmentVariables.map((e) => ({ name: e.name, required: e.required, sensitive: e.sensitive })),
      permissions: describePermissions(spec.permissions),
      trust: 'generated',
      runs: decideIsolation(input.config.isolation, 'generated', undefined).mode,
    };
  } catch (error) {
    if (isPluginDynamicError(error) && (error.code === 'DESCRIPTION_UNUSABLE' || error.code === 'INVALID_SPEC')) return undefined;
    throw error;
  }
}

/**
 * What could serve a request: a loaded action (no offer), one or two plugins of the ranked sources,
 * or a new plugin written from the request. Each source is read within its own failure (one that
 * cannot be read is logged and skipped); the model, when there is one, judges the short list.
 */
export async function findOptions(input: FindInput): Promise<Finding> {
  const words = searchWords(input.request);
  const lists = await Promise.all(
    input.sources.map((s) =>
      s.candidates(words, { limit: RANK_BOUNDS.candidates, ...(input.signal ? { signal: input.signal } : {}) }).catch((error: unknown) => {
        input.runtime.logger.warn({ src: LOG_SRC, source: s.name, error: String(error) }, `Self-extension could not search ${s.name}.`);
        return [] as RankedCandidate[];
      }),
    ),
  );
  const candidates = mergeCandidates(lists, RANK_BOUNDS.candidates);
  const loaded = actionsForRequest(input.runtime, words, input.ownActions, RANK_BOUNDS.loaded);
  const verdict = await rankRequest({
    request: input.request,
    candidates,
    loaded,
    callModel: input.callModel,
    ...(input.signal ? { signal: input.signal } : {}),
    onFallback: (why) => input.runtime.logger.warn({ src: LOG_SRC }, `Self-extension ranked by keyword: ${why}.`),
  });
  switch (verdict.verdict) {
    case 'served':
      return { kind: 'served', action: verdict.action, reason: verdict.reason };
    case 'harmful':
      return { kind: 'refused', reason: verdict.reason };
    case 'impossible':
      return { kind: 'refused', reason: `no plugin could do that (${verdict.reason.replace(/\.$/, '')})` };
    case 'install':
      return { kind: 'offer', options: await Promise.all(verdict.picks.map((c) => installOption(input.config, c, input.signal))), reason: verdict.reason };
    case 'create': {
      const option = await createOption(input);
      return option
        ? { kind: 'offer', options: [option], reason: verdict.reason }
        : { kind: 'refused', reason: 'I cannot tell what a plugin for it would do; say what it should fetch, keep, convert or compute' };
    }
  }
}
