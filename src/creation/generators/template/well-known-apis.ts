import type { PluginSpec } from '../../spec/plugin-spec.js';

/**
 * Public APIs whose address everyone shares: when a specification names one (in its description,
 * an action's description, a setting such as GITHUB_API_URL, or a declared host), the http recipe
 * calls this address while the URL setting is unset. The README lists this table.
 */
export const WELL_KNOWN_APIS: { name: RegExp; url: string; host: string }[] = [
  { name: /\bgit ?hub\b/i, url: 'https://api.github.com', host: 'api.github.com' },
  { name: /\bcoin ?gecko\b/i, url: 'https://api.coingecko.com/api/v3', host: 'api.coingecko.com' },
  { name: /\bopen[ -]?meteo\b/i, url: 'https://api.open-meteo.com/v1', host: 'api.open-meteo.com' },
  { name: /\bwikipedia\b/i, url: 'https://en.wikipedia.org/api/rest_v1', host: 'en.wikipedia.org' },
  { name: /\bhacker ?news\b/i, url: 'https://hacker-news.firebaseio.com/v0', host: 'hacker-news.firebaseio.com' },
  { name: /\bnpm\b/i, url: 'https://registry.npmjs.org', host: 'registry.npmjs.org' },
  { name: /\bpok[eé] ?api\b/i, url: 'https://pokeapi.co/api/v2', host: 'pokeapi.co' },
];

/** The default address for the API a specification names, if it names a well-known one. */
export function wellKnownApiUrl(spec: PluginSpec, urlSetting: string): string | undefined {
  const said = [spec.description, urlSetting.replace(/_/g, ' '), ...spec.actions.map((a) => a.description)].join('\n');
  return WELL_KNOWN_APIS.find((api) => api.name.test(said) || spec.permissions.network.includes(api.host))?.url;
}
