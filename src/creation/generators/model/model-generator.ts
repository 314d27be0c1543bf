import { ModelType, type IAgentRuntime } from '@elizaos/core';
import { PluginDynamicError } from '../../../errors.js';
import { parsePluginSpec } from '../../spec/index.js';
import type { PluginGenerator } from '../generator.js';
import { checkModelFilePaths, parseModelFiles } from './parse-model-files.js';
import { firstPrompt, repairPrompt } from './prompts.js';

/**
 * Writes the plugin through whatever text model the agent has (runtime.useModel). Iteration 1 gets
 * the specification and the component contracts; later ones the current files and the first
 * failing gate's diagnostics.
 */
export function createModelGenerator(runtime: IAgentRuntime): PluginGenerator {
  return {
    kind: 'model',
    async generate(request) {
      request.signal?.throwIfAborted();
      const prompt =
        request.iteration === 1 || !request.feedback
          ? firstPrompt(request.spec)
          : repairPrompt(request.spec, request.currentFiles, request.feedback, request.iteration);
      const answer = String(await runtime.useModel(ModelType.TEXT_LARGE, { prompt }));
      request.signal?.throwIfAborted();
      const parsed = parseModelFiles(answer);
      const dependencyBlock = parsed.find((f) => f.path === 'dependencies');
      const files = parsed.filter((f) => f.path !== 'dependencies');
      if (files.length === 0) {
        throw new PluginDynamicError(
          'MODEL_OUTPUT_REFUSED',
          'The model answered without any file in the expected format (a fenced block with path=src/...).',
        );
      }
      checkModelFilePaths(files);
      const dependencies = dependencyBlock ? validatedDependencies(request.spec, dependencyBlock.content) : undefined;
      return { files, ...(dependencies ? { dependencies } : {}) };
    },
  };
}

/** Dependencies the model asks for, held to the same rules as the specification's own. */
function validatedDependencies(spec: { name: string; description: string; version: string }, json: string): Record<string, string> {
  let asked: unknown;
  try {
    asked = JSON.parse(json);
  } catch {
    throw new PluginDynamicError('MODEL_OUTPUT_REFUSED', 'The dependencies block is not JSON.');
  }
  const checked = parsePluginSpec({ name: spec.name, description: spec.description, version: spec.version, dependencies: asked });
  return checked.dependencies;
}
