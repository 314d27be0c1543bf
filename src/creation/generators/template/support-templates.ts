/** src/params.ts of a generated plugin: parameters from options, JSON in the message, or the text. */
export const PARAMS_SOURCE = `import type { HandlerOptions, Memory } from '@elizaos/core';

export type ParamType = 'string' | 'number' | 'boolean' | 'object' | 'array';

export interface ParamDecl {
  name: string;
  type: ParamType;
  required: boolean;
}

export interface ExtractedParams {
  values: Record<string, unknown>;
  missing: string[];
  invalid: string[];
}

function coerce(value: unknown, type: ParamType): unknown {
  switch (type) {
    case 'string':
      return typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
      return Number.isFinite(n) ? n : undefined;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'yes') return true;
      if (value === 'false' || value === 'no') return false;
      return undefined;
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
    case 'array':
      return Array.isArray(value) ? value : typeof value === 'string' && value !== '' ? value.split(',').map((s) => s.trim()) : undefined;
  }
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  try {
    const parsed: unknown = JSON.parse(text.slice(start, end + 1));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function fromText(text: string, name: string): string | undefined {
  const match = new RegExp(\`\\\\b\${name}\\\\s*[:=]\\\\s*(?:"([^"]*)"|(\\\\S+))\`, 'i').exec(text);
  return match?.[1] ?? match?.[2];
}

/**
 * Reads the declared parameters of an action call: options.parameters (or options itself), then a
 * JSON object in the message, then "name: value" in the text; a single string parameter takes the
 * whole text when nothing else names it.
 */
export function extractParams(message: Memory, options: HandlerOptions | undefined, decls: ParamDecl[]): ExtractedParams {
  const text = typeof message.content.text === 'string' ? message.content.text : '';
  const given: Record<string, unknown> = { ...options };
  const nested = given['parameters'];
  const fromOptions: Record<string, unknown> =
    nested !== null && typeof nested === 'object' && !Array.isArray(nested) ? (nested as Record<string, unknown>) : given;
  const json = jsonObject(text) ?? {};
  const values: Record<string, unknown> = {};
  const missing: string[] = [];
  const invalid: string[] = [];
  const onlyString = decls.filter((d) => d.type === 'string').length === 1 && decls.length === 1;
  for (const decl of decls) {
    const raw = fromOptions[decl.name] ?? json[decl.name] ?? fromText(text, decl.name) ?? (onlyString && !text.trim().startsWith('{') ? text : undefined);
    if (raw === undefined || raw === '') {
      if (decl.required) missing.push(decl.name);
      continue;
    }
    const value = coerce(raw, decl.type);
    if (value === undefined) invalid.push(decl.name);
    else values[decl.name] = value;
  }
  return { values, missing, invalid };
}
`;

/** src/store.ts: the plugin's own items, kept in memory for add/remove/list style actions. */
export const STORE_SOURCE = `export interface StoredItem {
  id: string;
  value: Record<string, unknown>;
  createdAt: string;
}

const items = new Map<string, StoredItem>();
let nextId = 1;

export function addItem(value: Record<string, unknown>): StoredItem {
  const item: StoredItem = { id: String(nextId++), value, createdAt: new Date().toISOString() };
  items.set(item.id, item);
  return item;
}

export function removeItem(id: string): StoredItem | undefined {
  const item = items.get(id);
  items.delete(id);
  return item;
}

export function listItems(): StoredItem[] {
  return [...items.values()];
}

export function clearItems(): void {
  items.clear();
  nextId = 1;
}
`;

/** src/__tests__/support.ts: a message and a runtime double for unit tests without a database. */
export const TEST_SUPPORT_SOURCE = `import type { IAgentRuntime, Memory, UUID } from '@elizaos/core';

const ID = '00000000-0000-0000-0000-000000000001' as UUID;

export function testMessage(text: string): Memory {
  return { id: ID, entityId: ID, agentId: ID, roomId: ID, content: { text }, createdAt: Date.now() };
}

/** Just what the components read: settings, the agent id and a quiet logger. */
export function testRuntime(settings: Record<string, string> = {}): IAgentRuntime {
  const logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
  return { agentId: ID, getSetting: (key: string) => settings[key] ?? null, logger } as unknown as IAgentRuntime;
}
`;
