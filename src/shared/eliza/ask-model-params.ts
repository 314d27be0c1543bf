import { ModelType, type IAgentRuntime } from '@elizaos/core';
import { z } from 'zod';
import { jsonInText, type ActionParameter, type ActionParameters } from './action-input.js';

/** The most of the user's message a parameter question quotes: the prompt stays small. */
const MESSAGE_CHARS = 2_000;

function valueSchema(p: ActionParameter): z.ZodType {
  switch (p.type) {
    case 'string':
      return z.string().trim().min(1).max(500);
    case 'number':
      return z.number().finite();
    case 'boolean':
      return z.boolean();
    case 'object':
      return z.record(z.string(), z.unknown());
  }
}

/** The JSON Schema shown to the model, written from the same declarations the answer is checked against. */
function jsonSchema(wanted: ActionParameters): string {
  const properties = Object.fromEntries(
    Object.entries(wanted).map(([name, p]) => [name, { type: [p.type, 'null'], description: p.description }]),
  );
  return JSON.stringify({ type: 'object', properties, additionalProperties: false });
}

export function parameterPrompt(actionName: string, wanted: ActionParameters, text: string): string {
  return [
    `The user's message below asks for the action ${actionName}. Read its parameters from the message.`,
    'Answer with one JSON object matching this JSON Schema. Use null for a parameter the message does not state;',
    'never invent a value.',
    jsonSchema(wanted),
    '',
    `Message: ${JSON.stringify(text.slice(0, MESSAGE_CHARS))}`,
  ].join('\n');
}

/** Whether the agent has a text model to ask. */
export function hasTextModel(runtime: IAgentRuntime): boolean {
  return runtime.getModel(ModelType.TEXT_SMALL) !== undefined || runtime.getModel(ModelType.TEXT_LARGE) !== undefined;
}

/**
 * Asks the agent's model for parameters an action could not read from the message. The answer is
 * checked field by field against the declared types (Zod); a field that is null, missing or of the
 * wrong type is left out, so the caller asks the user instead of acting on a guess. Without a model,
 * or when the model fails, nothing is returned.
 */
export async function askModelForParams(
  runtime: IAgentRuntime,
  actionName: string,
  wanted: ActionParameters,
  text: string,
): Promise<Record<string, unknown>> {
  if (Object.keys(wanted).length === 0 || !text.trim() || !hasTextModel(runtime)) return {};
  const type = runtime.getModel(ModelType.TEXT_SMALL) ? ModelType.TEXT_SMALL : ModelType.TEXT_LARGE;
  let answer: unknown;
  try {
    answer = jsonInText(String(await runtime.useModel(type, { prompt: parameterPrompt(actionName, wanted, text) })));
  } catch (error) {
    runtime.logger.warn({ src: 'plugin-dynamic:action-params', actionName, error: String(error) }, 'parameter question failed');
    return {};
  }
  if (!answer || typeof answer !== 'object') return {};
  const found: Record<string, unknown> = {};
  for (const [name, declared] of Object.entries(wanted)) {
    const checked = valueSchema(declared).safeParse((answer as Record<string, unknown>)[name]);
    if (checked.success) found[name] = checked.data;
  }
  return found;
}
