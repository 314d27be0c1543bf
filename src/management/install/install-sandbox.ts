import type { Logger } from '@elizaos/core';
import { bwrapWorks, selectSandbox, type Sandbox } from '../../shared/sandbox/index.js';

/**
 * The sandbox an install runs npm and the import check in. Installing runs a third-party package's
 * code (its module, imported to see what it registers), so an install fails closed: under `auto` or
 * `bwrap` without a working bubblewrap it is refused with SANDBOX_UNAVAILABLE. Only an explicit
 * PLUGIN_DYNAMIC_SANDBOX=none installs unsandboxed, and it is logged every time (the record and the
 * plugin's view say `unsandboxedInstall`).
 */
export async function installSandbox(
  mode: 'auto' | 'bwrap' | 'none',
  logger: Pick<Logger, 'warn'>,
  works: () => Promise<boolean> = bwrapWorks,
): Promise<Sandbox | undefined> {
  if (mode === 'none') {
    logger.warn(
      { src: 'plugin-dynamic:install', sandbox: 'none' },
      "PLUGIN_DYNAMIC_SANDBOX=none: npm and the import check run the package's code without a sandbox.",
    );
    return undefined;
  }
  return selectSandbox(mode, works);
}
