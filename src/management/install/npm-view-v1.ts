import { mkdir } from 'node:fs/promises';
import { v1ViewArgs } from '../registry/npm-v1-check.js';
import { npmComplaint, runNpm, type NpmOptions } from '../../shared/npm/npm-client.js';

/**
 * What npm says about a package's 1.x range (`npm view name@">=1.0.0 <2.0.0" version dependencies
 * peerDependencies --json`, through the same bounded, sandboxed npm client as installs);
 * 'missing' when npm has no such release.
 *
 * @throws Error with npm's complaint when npm failed for another reason (network, timeout).
 */
export async function npmViewV1(name: string, opts: NpmOptions): Promise<unknown> {
  await mkdir(opts.cwd, { recursive: true });
  const result = await runNpm(['view', ...v1ViewArgs(name)], opts);
  if (!result.ok) {
    const complaint = npmComplaint(result);
    if (/E404|No match found|is not in this registry/i.test(complaint)) return 'missing';
    throw new Error(complaint);
  }
  return JSON.parse(result.stdout || 'null') as unknown;
}
