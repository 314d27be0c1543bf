import type { HandlerOptions, Memory } from '@elizaos/core';

/** The kinds of value an action parameter may hold. */
export type ActionParameterType = 'string' | 'number' | 'boolean' | 'object';

/** One parameter an action reads, with the words a model is shown when it is asked for it. */
export interface ActionParameter {
  type: ActionParameterType;
  description: string;
}

/** The parameters an action declares, by name. Only these names are ever read as parameters. */
export type ActionParameters = Record<string, ActionParameter>;

/**
 * The declared parameters of an action call, from where a caller puts them: `options.parameters`
 * (a direct caller such as a test or another plugin), then a JSON object written in the message.
 * Core 1.7 calls handlers with `options = { actionContext, actionPlan?, onStreamChunk? }`; those
 * keys are the runtime's, never parameters, so `options` itself is not read, and any key the
 * action does not declare is left out.
 */
export function structuredParams(
  message: Memory,
  options: HandlerOptions | Record<string, unknown> | undefined,
  declared: ActionParameters,
): Record<string, unknown> {
  const names = Object.keys(declared);
  const params: Record<string, unknown> = {};
  const given = (options as { parameters?: unknown } | undefined)?.parameters;
  if (isPlainObject(given)) {
    for (const name of names) if (given[name] !== undefined) params[name] = given[name];
  }
  const json = jsonInText(messageText(message));
  if (json) {
    for (const name of names) if (!(name in params) && json[name] !== undefined) params[name] = json[name];
  }
  return params;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function messageText(message: Memory): string {
  return typeof message.content.text === 'string' ? message.content.text : '';
}

/** The first JSON object written in a message (bare or in a code fence), if any. */
export function jsonInText(text: string): Record<string, unknown> | undefined {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text)?.[1];
  const candidates = [fenced, sliceBalanced(text)].filter((c): c is string => typeof c === 'string');
  for (const candidate of candidates) {
    try {
      const value: unknown = JSON.parse(candidate.trim());
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // Not JSON; try the next candidate.
    }
  }
  return undefined;
}

function sliceBalanced(text: string): string | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}

/** A string parameter, trimmed; undefined when absent or empty. */
export function stringParam(params: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = params[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/** Words that look like package names or install sources in free text. */
export function packageLikeTokens(text: string): string[] {
  const pattern =
    /(?:github:[\w.-]+\/[\w.-]+(?:#[\w./-]+)?|@[a-z0-9][\w.-]*\/[a-z0-9][\w.-]*(?:@[\w.^~<>=*|-]+)?|\b(?:[a-z0-9][\w.]*-)?plugin-[a-z0-9][\w.-]*(?:@[\w.^~<>=*|-]+)?|\b[a-z0-9][\w.-]*-plugin\b|(?:\.{1,2}\/|\/)[^\s"'`]+)/gi;
  return [...new Set(text.match(pattern) ?? [])].map((t) => t.replace(/[.,;:!?)]+$/, ''));
}

/** NAME=value or NAME: value pairs for upper-case setting names in free text. */
export function settingPairs(text: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  const pattern = /\b([A-Z][A-Z0-9_]{1,63})\s*[=:]\s*("([^"]*)"|'([^']*)'|(\S+))/g;
  for (const m of text.matchAll(pattern)) {
    const name = m[1];
    const value = m[3] ?? m[4] ?? m[5];
    if (name && value !== undefined) pairs[name] = value.replace(/[.,;]+$/, '');
  }
  return pairs;
}
