export { parseRegistry, parseGithubRepository } from './parse-registry.js';
export {
  searchRegistry,
  tokenize,
  baseName,
  type RegistrySearchHit,
  type RegistrySearchOptions,
  type RegistryMatchField,
} from './search-registry.js';
export { resolvePluginName, candidateNames, type ResolveOptions } from './resolve-plugin-name.js';
export { fetchRegistry, DEFAULT_MAX_REGISTRY_BYTES, type FetchRegistryOptions } from './fetch-registry.js';
export {
  readRegistryCache,
  writeRegistryCache,
  REGISTRY_CACHE_VERSION,
  type RegistryCacheDocument,
  type RegistryCacheRead,
} from './registry-cache.js';
export {
  RegistryClient,
  type RegistryClientOptions,
  type RegistryLogger,
  type RegistryOrigin,
  type RegistrySnapshot,
} from './registry-client.js';
export { judgeV1Releases, coreRangeRefused, v1ViewArgs, V1_RANGE, type NpmV1Check } from './npm-v1-check.js';
export { NpmV1Verifier, type NpmV1View, type NpmV1VerifierOptions } from './npm-v1-verifier.js';
export { verifiedSearch, type SearchAnswer } from './verified-search.js';
