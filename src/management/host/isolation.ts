import type { TrustTier } from '../state/plugin-record.js';

/** Where a plugin's code runs: a host process of its own, or the agent's process. */
export const ISOLATION_MODES = ['isolated', 'in-process'] as const;
export type IsolationMode = (typeof ISOLATION_MODES)[number];

/**
 * The PLUGIN_DYNAMIC_ISOLATION setting: `auto` isolates generated plugins and user sources and
 * keeps registry plugins in-process; `all` and `none` set every plugin's default.
 */
export const ISOLATION_POLICIES = ['auto', 'all', 'none'] as const;
export type IsolationPolicy = (typeof ISOLATION_POLICIES)[number];

export interface IsolationDecision {
  mode: IsolationMode;
  /** `override` when the plugin's record asks for a mode, `default` when the policy decided. */
  decidedBy: 'default' | 'override';
}

/** How a plugin runs: its own override first, else the policy applied to its trust tier. */
export function decideIsolation(policy: IsolationPolicy, trust: TrustTier, override: IsolationMode | undefined): IsolationDecision {
  if (override) return { mode: override, decidedBy: 'override' };
  if (policy === 'all') return { mode: 'isolated', decidedBy: 'default' };
  if (policy === 'none') return { mode: 'in-process', decidedBy: 'default' };
  return { mode: trust === 'registry' ? 'in-process' : 'isolated', decidedBy: 'default' };
}
