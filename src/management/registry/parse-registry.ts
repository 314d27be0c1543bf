import { z } from 'zod';
import { PluginDynamicError } from '../../errors.js';
import type { RegistryEntry } from '../types.js';

/*
 * The public registry publishes two files: generated-registry.json (rich: versions per ElizaOS line,
 * description, topics, stars) and index.json (name -> "github:owner/repo"). Either may be configured.
 * The registry is maintained by many hands, so one odd entry must not hide the other 371: entries are
 * checked one by one and the broken ones skipped; only a document that is not a registry is refused.
 */

/** npm package names, including the old mixed-case scoped ones the registry still lists (e.g. "@1BDO/..."). */
const PACKAGE_NAME = /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i;

const optionalText = z.string().nullish().catch(undefined);

const GitLineSchema = z
  .object({ version: optionalText, branch: optionalText })
  .nullish()
  .catch(undefined);

// Structure (git, npm, supports) must have the right shape or the entry is skipped; free text that
// authors fill in (description, topics, stars) is taken when usable and dropped otherwise.
const GeneratedEntrySchema = z
  .object({
    git: z
      .object({ repo: optionalText, v0: GitLineSchema, v1: GitLineSchema, alpha: GitLineSchema })
      .nullish(),
    npm: z.object({ repo: optionalText, v0: optionalText, v1: optionalText, alpha: optionalText }).nullish(),
    supports: z
      .object({ v0: z.boolean().nullish(), v1: z.boolean().nullish(), alpha: z.boolean().nullish() })
      .nullish(),
    description: optionalText,
    topics: z
      .array(z.unknown())
      .nullish()
      .catch(undefined)
      .transform((topics) => (topics ?? []).filter((t): t is string => typeof t === 'string')),
    stargazers_count: z.number().nonnegative().nullish().catch(undefined),
  })
  .refine((entry) => Boolean(entry.git ?? entry.npm), { message: 'an entry needs a git or an npm section' });

const GeneratedDocumentSchema = z.object({
  lastUpdatedAt: z.string().nullish(),
  registry: z.record(z.string(), z.unknown()),
});

const IndexDocumentSchema = z.record(z.string(), z.unknown());

function nonEmpty(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * "owner/repo" from "github:owner/repo", "owner/repo" or a github.com URL, ignoring a "#ref" or
 * "#ref:subfolder" suffix (the registry has one of those); undefined for anything else.
 */
export function parseGithubRepository(value: string): string | undefined {
  const match = /^(?:github:|https?:\/\/github\.com\/)?([A-Za-z0-9][\w.-]*)\/([\w.-]+?)(?:\.git)?\/?(?:#\S*)?$/.exec(
    value.trim(),
  );
  return match ? `${match[1]}/${match[2]}` : undefined;
}

function fromGenerated(name: string, raw: unknown): RegistryEntry | undefined {
  if (!PACKAGE_NAME.test(name)) return undefined;
  const parsed = GeneratedEntrySchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const entry = parsed.data;
  const npmV1Version = nonEmpty(entry.npm?.v1);
  const repo = nonEmpty(entry.git?.repo);
  return {
    name,
    description: nonEmpty(entry.description) ?? '',
    repository: repo === undefined ? undefined : (parseGithubRepository(repo) ?? repo),
    // An npm 1.x release is as good a sign as the flag: the flag lags behind publishing.
    supportsV1: entry.supports?.v1 === true || npmV1Version !== undefined,
    npmV1Version,
    gitV1Branch: nonEmpty(entry.git?.v1?.branch),
    topics: entry.topics,
    stars: entry.stargazers_count ?? 0,
  };
}

function fromIndex(name: string, raw: unknown): RegistryEntry | undefined {
  if (!PACKAGE_NAME.test(name) || typeof raw !== 'string') return undefined;
  const repository = parseGithubRepository(raw);
  if (repository === undefined) return undefined;
  // index.json says nothing about versions: without evidence of a 1.x release, do not claim one.
  return {
    name,
    description: '',
    repository,
    supportsV1: false,
    npmV1Version: undefined,
    gitV1Branch: undefined,
    topics: [],
    stars: 0,
  };
}

// The callers below write each message about the registry's shape.
function invalid(message: string, details: Record<string, unknown> = {}): PluginDynamicError {
  return new PluginDynamicError('REGISTRY_INVALID', message, { details });
}

/**
 * The entries of a registry document, in either published shape.
 *
 * @throws PluginDynamicError REGISTRY_INVALID when the document is neither shape, or when it has
 * entries and not one of them is usable.
 */
export function parseRegistry(json: unknown): RegistryEntry[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalid('The registry document is not a JSON object.');
  }
  if ('registry' in json) {
    const document = GeneratedDocumentSchema.safeParse(json);
    if (!document.success) {
      throw invalid('The registry document has a "registry" field that is not an object of plugins.');
    }
    return collect(Object.entries(document.data.registry), fromGenerated, 'generated-registry.json');
  }
  const index = IndexDocumentSchema.safeParse(json);
  if (!index.success || Object.keys(index.data).length === 0) {
    throw invalid('The registry document is empty or is neither generated-registry.json nor index.json.');
  }
  return collect(Object.entries(index.data), fromIndex, 'index.json');
}

function collect(
  pairs: [string, unknown][],
  convert: (name: string, raw: unknown) => RegistryEntry | undefined,
  shape: string,
): RegistryEntry[] {
  const entries: RegistryEntry[] = [];
  const skipped: string[] = [];
  for (const [name, raw] of pairs) {
    const entry = convert(name, raw);
    if (entry) entries.push(entry);
    else skipped.push(name);
  }
  if (pairs.length > 0 && entries.length === 0) {
    throw invalid(`None of the ${pairs.length} entries of the registry document is a plugin in the ${shape} shape.`, {
      skipped: skipped.slice(0, 10),
    });
  }
  return entries;
}
