import { codedError } from '../../../errors.js';
import { parsePluginSpec } from '../../spec/index.js';
import type { PluginGenerator } from '../generator.js';
import { applyModelAnswer } from './apply-answer.js';
import type { ModelCall } from './model-call.js';
import { parseModelFiles } from './parse-model-files.js';
import { firstPrompt, repairPrompt } from './prompts.js';

/**
 * Writes the plugin through whatever text model the agent has (a bounded call). Iteration 1 gets
 * the specification, the ElizaOS facts and the contract tests; later ones the first failing gate's
 * problems and the files they need, and may answer with edits instead of whole files.
 */
export function createModelGenerator(callModel: ModelCall): PluginGenerator {
  return {
    kind: 'model',
    async generate(request) {
      request.signal?.throwIfAborted();
      const prompt =
        request.iteration === 1 || !request.feedback
          ? firstPrompt(request.spec)
          : repairPrompt(request.spec, request.currentFiles, request.feedback, request.iteration);
      const answer = await callModel(prompt, request.signal);
      request.signal?.throwIfAborted();
      const dependencyBlock = parseModelFiles(answer).find((f) => f.path === 'dependencies');
      const files = applyModelAnswer(answer, request.currentFiles);
      if (files.length === 0) {
        throw codedError('MODEL_OUTPUT_REFUSED', {
          problem: 'it has no file or edit in the expected format (a fenced block with path=src/...)',
        });
      }
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
    throw codedError('MODEL_OUTPUT_REFUSED', { problem: 'its dependencies block is not JSON' });
  }
  const checked = parsePluginSpec({ name: spec.name, description: spec.description, version: spec.version, dependencies: asked });
  return checked.dependencies;
}
