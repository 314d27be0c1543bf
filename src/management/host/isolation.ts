import type { IsolationMode, IsolationPolicy, TrustTier } from '../vocabulary.js';

export { ISOLATION_MODES, ISOLATION_POLICIES, type IsolationMode, type IsolationPolicy } from '../vocabulary.js';

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
