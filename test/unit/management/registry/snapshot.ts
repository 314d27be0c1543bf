import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RegistryEntry } from '../../../../src/management/types.js';
import { DEFAULT_FIXTURE_ROOT } from '../../../helpers/fixture-server.js';

/** The registry snapshot files as published (see fixtures/registry/SOURCE.md). */
export function readSnapshot(file: 'generated-registry.json' | 'index.json'): unknown {
  return JSON.parse(readFileSync(join(DEFAULT_FIXTURE_ROOT, 'registry', file), 'utf8'));
}

/** The generated-registry.json document with its raw per-plugin records, for tests that alter one. */
export function generatedDocument(): { lastUpdatedAt: string; registry: Record<string, Record<string, unknown>> } {
  return readSnapshot('generated-registry.json') as {
    lastUpdatedAt: string;
    registry: Record<string, Record<string, unknown>>;
  };
}

/** A registry entry with every field set, for small hand-made registries. */
export function entry(name: string, fields: Partial<RegistryEntry> = {}): RegistryEntry {
  return {
    name,
    description: '',
    repository: undefined,
    supportsV1: true,
    npmV1Version: '1.0.0',
    gitV1Branch: undefined,
    topics: [],
    stars: 0,
    ...fields,
  };
}
