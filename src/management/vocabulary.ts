/*
 * The words of plugin management, each list written once: every Zod enum, commander `.choices()`
 * and TypeScript type that names one of these reads it from here. Nothing is imported, so any
 * module may use them without an import circle.
 */

/** Where a plugin came from, which decides its default placement. */
export const TRUST_TIERS = ['registry', 'user-source', 'generated'] as const;
export type TrustTier = (typeof TRUST_TIERS)[number];

/** Where a plugin's code runs: a host process of its own, or the agent's process. */
export const ISOLATION_MODES = ['isolated', 'in-process'] as const;
export type IsolationMode = (typeof ISOLATION_MODES)[number];

/**
 * The PLUGIN_DYNAMIC_ISOLATION setting: `auto` isolates generated plugins and user sources and
 * keeps registry plugins in-process; `all` and `none` set every plugin's default.
 */
export const ISOLATION_POLICIES = ['auto', 'all', 'none'] as const;
export type IsolationPolicy = (typeof ISOLATION_POLICIES)[number];

/** What a person may ask for one plugin: a mode, or back to the default for its trust tier. */
export const ISOLATION_CHOICES = [...ISOLATION_MODES, 'default'] as const;
export type IsolationChoice = (typeof ISOLATION_CHOICES)[number];
