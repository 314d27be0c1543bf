import type { HandlerOptions, IAgentRuntime, Memory, ModelType } from '@elizaos/core';
import { no, type Outcome } from './reply.js';
import { parseWhen } from './when.js';

/** Core's ModelType.TEXT_SMALL, checked against core's type: the plugin loads nothing of core at run time. */
const TEXT_SMALL: typeof ModelType.TEXT_SMALL = 'TEXT_SMALL';

export type ParamType = 'string' | 'number' | 'boolean' | 'object' | 'array';

export interface ParamDecl {
  name: string;
  type: ParamType;
  required: boolean;
  description?: string;
}

export type ParamRead = { ok: true; values: Record<string, unknown>; text: string } | { ok: false; outcome: Outcome };

const ID_NAME = /^(id|.*Id|.*_id|number|index|position|ref)$/;
const WHEN_NAME = /^(when|time|date|datetime|due|dueAt|at|deadline|remindAt|scheduledAt|startAt|start)$/i;
const POLITE = /^(?:please|pls|hey|ok|okay|can you|could you|would you|will you|i want to|i'd like to|i would like to|let's|lets)\b[\s,]*/i;
const COMMAND = /^(?:add|create|save|store|remember|record|note|put|insert|new|track|log|remove|delete|forget|drop|erase|cancel|complete|finish|check off|update|edit|change|rename|set|find|search(?: for)?|look up|lookup|get|show|fetch|tell me|give me|translate|convert|call|send|post|remind me(?: to)?|schedule|start|make|write|slugify)\b\s*/i;
const TRAILING_PLACE = /\s+(?:to|on|in|into|from|off)\s+(?:my|the|our|this)\s+[\w\s-]{0,30}?(?:list|notes?|records?|todos?|items?|reminders?|collection|store)\b\.?$/i;

function coerce(value: unknown, type: ParamType): unknown {
  switch (type) {
    case 'string':
      return typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.replace(/,/g, '')) : Number.NaN;
      return Number.isFinite(n) ? n : undefined;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|yes|on|y)$/i.test(value)) return true;
      if (typeof value === 'string' && /^(false|no|off|n)$/i.test(value)) return false;
      return undefined;
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
    case 'array':
      if (Array.isArray(value)) return value;
      return typeof value === 'string' && value.trim() !== '' ? splitList(value) : undefined;
  }
}

/** "a, b or c" / "a; b; c" / "a and b" -> the items. */
export function splitList(text: string): string[] {
  return text
    .split(/\s*(?:,|;|\bor\b|\band\b|\|)\s*/i)
    .map((s) => s.trim().replace(/^["']|["'.?!]$/g, ''))
    .filter(Boolean);
}

/**
 * The value a record holds under a name of its own: never one it inherits ("toString", "valueOf"
 * are parameter names too). Typed unknown whatever the name.
 */
export function valueAt(values: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(values, name) ? values[name] : undefined;
}

/** The values without one of them. */
export function without(values: Record<string, unknown>, name: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => key !== name));
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function jsonIn(text: string): Record<string, unknown> | undefined {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  try {
    return asRecord(JSON.parse(text.slice(start, end + 1)));
  } catch {
    return undefined;
  }
}

/** "from: km to: mi" on one line: a bare value ends where the next "name:" begins. */
const BARE_VALUE = '((?:(?!\\s+[A-Za-z_][A-Za-z0-9_]*\\s*[:=])[^,;\\n])+)';

function named(text: string, name: string): string | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp('\\b' + escaped + '\\s*[:=]\\s*(?:"([^"]*)"|\'([^\']*)\'|' + BARE_VALUE + ')', 'i').exec(text);
  return (match?.[1] ?? match?.[2] ?? match?.[3])?.trim();
}

/** What the person said, without "please", the command word, the id, the time and "to my list". */
export function restOfText(text: string, used: string[]): string {
  let rest = text.trim();
  for (const piece of used) if (piece) rest = rest.replace(piece, ' ');
  rest = rest.replace(/\s+/g, ' ').trim();
  for (let i = 0; i < 3; i++) rest = rest.replace(POLITE, '').replace(COMMAND, '').trim();
  rest = rest.replace(TRAILING_PLACE, '').replace(/^(?:that|to|a|an|the)\s+/i, '').replace(/[\s.?!,]+$/, '').trim();
  const quoted = /^["'“](.*)["'”]$/.exec(rest);
  return quoted?.[1] ?? rest;
}

/**
 * The values a person typed in the message itself, with no model: the deterministic reading.
 * `known` names values a caller already has: they take nothing from the words.
 */
export function readFromText(text: string, decls: readonly ParamDecl[], known: readonly string[] = []): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const used: string[] = [];
  const json = jsonIn(text) ?? {};
  for (const d of decls) {
    const raw = valueAt(json, d.name) ?? named(text, d.name);
    const value = raw === undefined ? undefined : coerce(raw, d.type);
    if (value !== undefined) {
      values[d.name] = value;
      const shown = named(text, d.name);
      if (shown) used.push(new RegExp('\\b' + d.name + '\\s*[:=]\\s*["\']?' + shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '["\']?', 'i').exec(text)?.[0] ?? '');
    }
  }
  if (Object.keys(json).length > 0) return values;
  const quoted = [...text.matchAll(/["“]([^"”]+)["”]/g)].map((m) => m[1] ?? '');
  // What no value has taken yet: "in 10 minutes" read as a time leaves no "10" for an id or a number.
  const unread = (): string => text.replace(new RegExp(used.filter(Boolean).map((u) => u.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|') || '^\\b$', 'g'), ' ');
  const isWhen = (d: ParamDecl): boolean => WHEN_NAME.test(d.name) || (d.type === 'string' && /time|date|when|due/i.test(d.description ?? ''));
  // Times first: their words hold numbers the other readers would otherwise take.
  for (const d of [...decls.filter(isWhen), ...decls.filter((x) => !isWhen(x))]) {
    if (Object.hasOwn(values, d.name) || known.includes(d.name)) continue;
    const whenNamed = WHEN_NAME.test(d.name) && (d.type === 'string' || d.type === 'number');
    if (whenNamed || (d.type === 'string' && /time|date|when|due/i.test(d.description ?? ''))) {
      const when = parseWhen(text);
      if (when) {
        values[d.name] = d.type === 'number' ? when.at.getTime() : when.at.toISOString();
        used.push(when.matched);
        continue;
      }
      // A "when" parameter waits for a time; one whose description only mentions time reads as usual.
      if (whenNamed) continue;
    }
    if (ID_NAME.test(d.name) && (d.type === 'string' || d.type === 'number')) {
      const rest = unread();
      const id = /#\s*(\d+)\b/.exec(rest) ?? /\b(?:id|number|no\.?|record|item|entry|note|todo|task|reminder)\s*#?\s*(\d+)\b/i.exec(rest) ?? /^\D*?\b(\d+)\b\D*$/.exec(rest);
      if (id?.[1]) {
        values[d.name] = d.type === 'number' ? Number(id[1]) : id[1];
        used.push(id[0]);
      }
      continue;
    }
    if (d.type === 'number') {
      const n = /(-?\d+(?:[.,]\d+)?)/.exec(unread());
      if (n?.[1]) values[d.name] = Number(n[1].replace(',', '.'));
      continue;
    }
    if (d.type === 'boolean') {
      const b = /\b(yes|no|true|false|on|off)\b/i.exec(text);
      if (b?.[1]) values[d.name] = coerce(b[1], 'boolean');
      continue;
    }
    if (d.type === 'array') {
      const list = /(?:\bof|\bfrom|\bbetween|:)\s+(.+)$/i.exec(text)?.[1] ?? (quoted.length > 1 ? quoted.join(', ') : undefined);
      if (list) values[d.name] = splitList(list);
      continue;
    }
    if (d.type === 'string' && quoted.length > 0) {
      values[d.name] = quoted.shift();
      continue;
    }
  }
  // The first string still open takes what is left of the sentence ("add milk" -> text "milk").
  // An id-like one takes them only when no other text parameter is open ("remove buy milk" names a record by its words).
  const openText = decls.filter((d) => d.type === 'string' && !Object.hasOwn(values, d.name) && !known.includes(d.name));
  const open = openText.find((d) => !ID_NAME.test(d.name)) ?? openText[0];
  if (open) {
    const rest = restOfText(text, used);
    if (rest && rest.length <= 500) values[open.name] = rest;
  }
  return values;
}

function schemaPrompt(purpose: string, decls: readonly ParamDecl[], text: string): string {
  const fields = decls.map((d) => '- ' + d.name + ' (' + d.type + (d.required ? ', required' : ', optional') + ')' + (d.description ? ': ' + d.description : '')).join('\n');
  return [
    'Read the values for the action "' + purpose + '" from the message below.',
    'Answer with one JSON object and nothing else, with these keys:',
    fields,
    'Use null for a value the message does not give. Never guess a value. Times as ISO 8601.',
    'Message: ' + JSON.stringify(text),
  ].join('\n');
}

/** Asks the agent's model, when it has one, for the values still open. Any failure: no values. */
async function askModel(runtime: IAgentRuntime, purpose: string, decls: readonly ParamDecl[], text: string): Promise<Record<string, unknown>> {
  if (typeof runtime.useModel !== 'function' || decls.length === 0 || text.trim() === '') return {};
  try {
    const answer: unknown = await runtime.useModel(TEXT_SMALL, { prompt: schemaPrompt(purpose, decls, text) });
    return (typeof answer === 'string' ? jsonIn(answer) : asRecord(answer)) ?? {};
  } catch {
    return {};
  }
}

function question(purpose: string, missing: readonly ParamDecl[]): Outcome {
  const names = missing.map((d) => d.name);
  const example = missing.map((d) => d.name + ': ' + (d.type === 'number' ? '3' : WHEN_NAME.test(d.name) ? 'tomorrow at 9' : '"..."')).join(', ');
  return no('What ' + (names.length > 1 ? 'are the ' + names.join(' and ') : 'is the ' + (names[0] ?? 'value')) + ' for ' + purpose + '? For example: ' + example + '.', {
    question: true,
    missing: names,
  });
}

/**
 * The parameters of an action call. Core 1.7 passes none (options holds only actionContext), so
 * they come from, in order: options.parameters when a caller gives them, JSON or "name: value" in
 * the message, the agent's model with a schema prompt when it has one, then the plain-language
 * reading. A required value still missing gets a question back instead of a guess.
 */
export async function readParams(
  runtime: IAgentRuntime,
  message: Memory,
  options: HandlerOptions | undefined,
  decls: readonly ParamDecl[],
  purpose: string,
): Promise<ParamRead> {
  const text = typeof message.content.text === 'string' ? message.content.text : '';
  const given = asRecord(asRecord(options)?.['parameters']) ?? {};
  const values: Record<string, unknown> = {};
  for (const d of decls) {
    const v = valueAt(given, d.name) === undefined ? undefined : coerce(valueAt(given, d.name), d.type);
    if (v !== undefined) values[d.name] = v;
  }
  const explicit = jsonIn(text) ?? {};
  for (const d of decls) {
    if (Object.hasOwn(values, d.name)) continue;
    const v = valueAt(explicit, d.name) ?? named(text, d.name);
    const c = v === undefined ? undefined : coerce(v, d.type);
    if (c !== undefined) values[d.name] = c;
  }
  let open = decls.filter((d) => !(Object.hasOwn(values, d.name)));
  if (open.length > 0) {
    const fromModel = await askModel(runtime, purpose, open, text);
    for (const d of open) {
      const c = valueAt(fromModel, d.name) === undefined || valueAt(fromModel, d.name) === null ? undefined : coerce(valueAt(fromModel, d.name), d.type);
      if (c !== undefined) values[d.name] = c;
    }
    open = decls.filter((d) => !(Object.hasOwn(values, d.name)));
  }
  if (open.length > 0) {
    const read = readFromText(text, decls, Object.keys(values));
    for (const d of open) if (valueAt(read, d.name) !== undefined) values[d.name] = valueAt(read, d.name);
  }
  const missing = decls.filter((d) => d.required && !(Object.hasOwn(values, d.name)));
  if (missing.length > 0) return { ok: false, outcome: question(purpose, missing) };
  return { ok: true, values, text };
}
