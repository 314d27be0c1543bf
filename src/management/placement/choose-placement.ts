import { decideIsolation, type IsolationDecision, type IsolationMode, type IsolationPolicy } from '../host/isolation.js';
import type { PluginRecord } from '../state/plugin-record.js';
import type { Placement } from './placement.js';

export interface ChosenPlacement<P extends Placement = Placement> {
  placement: P;
  /** The mode and what decided it (the plugin's own override, or the policy for its trust tier). */
  decision: IsolationDecision;
}

/**
 * The one place that decides where a plugin runs: its record's override first, else the
 * PLUGIN_DYNAMIC_ISOLATION policy applied to its trust tier.
 */
export function choosePlacement<P extends Placement>(
  policy: IsolationPolicy,
  record: Pick<PluginRecord, 'trust' | 'isolation'>,
  placements: Readonly<Record<IsolationMode, P>>,
): ChosenPlacement<P> {
  const decision = decideIsolation(policy, record.trust, record.isolation);
  return { placement: placements[decision.mode], decision };
}
