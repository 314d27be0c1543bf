import type { PluginRecord, TrustTier } from './state/plugin-record.js';

export interface InstallOptions {
  signal?: AbortSignal;
  /** Load it right away when nothing is missing. @default false */
  activate?: boolean;
  /** Overrides the trust tier derived from the source (the creation loop passes 'generated'). */
  trust?: TrustTier;
  /** Recorded as the source instead of the parsed one (the creation loop passes its job id). */
  recordSource?: PluginRecord['source'];
  /** Folders a local folder or tarball may come from, besides the working folder. */
  allowedRoots?: string[];
  /** sha256 of dist/ as a creation job built it; the install is refused when the package differs. */
  shippedHash?: string;
  /**
   * Replace an installed plugin of the same package name. The earlier version stays installed
   * (and loaded, if it was) until the new one is installed and, when it is to be active, loaded.
   * @default false
   */
  replace?: boolean;
}
