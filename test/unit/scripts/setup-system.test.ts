import { chmod, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../../../src/cli/doctor-checks.js';
import { runProcess } from '../../../src/shared/process-runner.js';

const SCRIPT = join(import.meta.dirname, '..', '..', '..', 'scripts', 'setup-system.sh');
const BASH = findOnPath('bash') ?? '/bin/bash';

describe('scripts/setup-system.sh', () => {
  let bare: string;

  beforeAll(async () => {
    // A PATH with what the script itself needs, but none of the packages' commands and no sudo.
    bare = await mkdtemp(join(tmpdir(), 'pd-setup-path-'));
    // Readable by the unprivileged user the refusal is checked as.
    await chmod(bare, 0o755);
    for (const tool of ['bash', 'env', 'id', 'uname', 'apt-get']) {
      const found = findOnPath(tool);
      if (found) await symlink(found, join(bare, tool));
    }
  });
  afterAll(async () => {
    await rm(bare, { recursive: true, force: true });
  });

  const run = (args: string[], path: string) =>
    runProcess({ command: args[0] ?? BASH, args: args.slice(1), cwd: tmpdir(), env: { PATH: path }, timeoutMs: 30_000 });

  it('does nothing, and says nothing, on a machine that has every package of the profile', async () => {
    // The README's test command ran it with the `test` profile before the tests, so all are here.
    for (const profile of ['main', 'test']) {
      const result = await run([BASH, SCRIPT, profile], process.env['PATH'] ?? '');
      expect({ code: result.exitCode, out: result.stdout + result.stderr }).toEqual({ code: 0, out: '' });
    }
  });

  it('names the packages to install, and stops, when it is neither root nor able to use sudo', async () => {
    // As root, the check runs as nobody (setpriv, util-linux), which cannot install packages either.
    const asUser = process.getuid?.() === 0 ? ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', BASH] : [BASH];
    const result = await run([...asUser, SCRIPT, 'test'], bare);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('setup-system: root is needed to install bubblewrap cgroup-tools chromium openssl, and sudo is not available here.');
    expect(result.stderr).toContain('as root, run: apt-get install -y bubblewrap cgroup-tools chromium openssl');
  });

  it('refuses a profile it does not know', async () => {
    const result = await run([BASH, SCRIPT, 'everything'], process.env['PATH'] ?? '');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('unknown profile "everything" (use main or test)');
  });
});
