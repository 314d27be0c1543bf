import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from '@elizaos/core';
import { templateFiles } from '../../src/creation/generators/template/index.js';
import { parsePluginSpec } from '../../src/creation/spec/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules', '.cache', 'pd-generated');
let counter = 0;

/** What a generated plugin's own test support exports: a message and an in-memory runtime double. */
export interface GeneratedSupport {
  testMessage(text: string): import('@elizaos/core').Memory;
  testRuntime(settings?: Record<string, string>): import('@elizaos/core').IAgentRuntime & { tasksStored: Map<string, import('@elizaos/core').Task> };
}

/**
 * The template's plugin for a specification, written where @elizaos/core resolves and imported as
 * TypeScript (Vitest transforms it): unit tests call its actions, providers and services directly.
 */
export async function generatedPlugin(input: unknown): Promise<{ plugin: Plugin; support: GeneratedSupport; dir: string; cleanup: () => void; source: (path: string) => string }> {
  const spec = parsePluginSpec(input);
  const dir = join(ROOT, `${process.pid}-${++counter}`);
  const files = templateFiles(spec);
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  const entry = (await import(pathToFileURL(join(dir, 'src', 'index.ts')).href)) as { plugin: Plugin };
  const support = (await import(pathToFileURL(join(dir, 'src', '__tests__', 'support.ts')).href)) as GeneratedSupport;
  const source = (path: string): string => files.find((f) => f.path === path)?.content ?? '';
  return { plugin: entry.plugin, support, dir, source, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
