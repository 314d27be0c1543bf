import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess, scrubbedEnv } from '../../../src/shared/process-runner.js';
import { bwrapSandbox, sandboxBoundHit, selectSandbox, type SandboxPolicy } from '../../../src/shared/sandbox/index.js';

describe('the bubblewrap sandbox around generated code', () => {
  let workspace: string;
  let otherJob: string;
  let policy: SandboxPolicy;
  const run = (code: string, timeoutMs = 20_000) =>
    runProcess(
      bwrapSandbox.wrap(
        { command: process.execPath, args: ['-e', code], cwd: workspace, env: scrubbedEnv(join(workspace, '.home')), timeoutMs },
        policy,
      ),
    );

  beforeAll(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'pd-sandbox-ws-'));
    otherJob = await mkdtemp(join(tmpdir(), 'pd-sandbox-other-'));
    await writeFile(join(otherJob, 'secret.txt'), 'another job');
    policy = { writable: [workspace], readOnly: [], network: false };
    process.env['PD_PLANTED_HOST_SECRET'] = 'host-secret-value';
  });
  afterAll(async () => {
    delete process.env['PD_PLANTED_HOST_SECRET'];
    await rm(workspace, { recursive: true, force: true });
    await rm(otherJob, { recursive: true, force: true });
  });

  it('is selected when bubblewrap works, and refused with advice when asked for none', async () => {
    expect((await selectSandbox('auto')).kind).toBe('bwrap');
    expect((await selectSandbox('none')).kind).toBe('none');
  });

  it('without a working bubblewrap, refuses to run generated code and says how to proceed', async () => {
    for (const mode of ['auto', 'bwrap'] as const) {
      const refusal = selectSandbox(mode, () => Promise.resolve(false));
      await expect(refusal).rejects.toMatchObject({ code: 'SANDBOX_UNAVAILABLE' });
      await expect(refusal).rejects.toThrow(/apt-get install bubblewrap.*PLUGIN_DYNAMIC_SANDBOX=none/);
    }
    // Only the explicit setting runs it unsandboxed.
    expect((await selectSandbox('none', () => Promise.resolve(false))).kind).toBe('none');
  });

  it("cannot see the user's home folder or ~/.ssh", async () => {
    const r = await run("const fs=require('fs'); console.log(['/root','/root/.ssh','/home'].map((p)=>fs.existsSync(p)).join(','))");
    expect(r.stdout.trim()).toBe('false,false,false');
  });

  it("sees none of the host's environment", async () => {
    const r = await run('console.log(JSON.stringify(process.env))');
    expect(r.stdout).not.toContain('host-secret-value');
    expect(Object.keys(JSON.parse(r.stdout) as object)).not.toContain('PD_PLANTED_HOST_SECRET');
  });

  it("cannot read another job's workspace", async () => {
    const r = await run(`console.log(require('fs').existsSync(${JSON.stringify(join(otherJob, 'secret.txt'))}))`);
    expect(r.stdout.trim()).toBe('false');
  });

  it('cannot write outside its workspace, and can write inside it', async () => {
    const r = await run(
      `const fs=require('fs'); try { fs.writeFileSync('/usr/pwned', 'x'); console.log('wrote') } catch (e) { console.log(e.code) } fs.writeFileSync('inside.txt', 'ok');`,
    );
    expect(r.stdout.trim()).toMatch(/EROFS|EACCES|ENOENT/);
    expect(readFileSync(join(workspace, 'inside.txt'), 'utf8')).toBe('ok');
    expect(existsSync('/usr/pwned')).toBe(false);
  });

  it('cannot open a network connection, even to 127.0.0.1', async () => {
    const server = createServer((s) => s.end('hello'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const r = await run(`require('net').connect(${port}, '127.0.0.1').on('connect', () => console.log('connected')).on('error', (e) => console.log(e.code))`);
    server.close();
    expect(r.stdout.trim()).toMatch(/ECONNREFUSED|ENETUNREACH/);
  });

  it('leaves no process behind: a detached child dies with the job', async () => {
    const pidFile = join(workspace, 'child.pid');
    const r = await run(
      `const { spawn } = require('child_process'); const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' }); c.unref(); require('fs').writeFileSync('child.pid', String(c.pid)); setTimeout(() => process.exit(0), 200);`,
    );
    expect(r.exitCode).toBe(0);
    // The pid is the one inside the sandbox's PID namespace; none of the host's processes is left
    // with its working folder in the workspace.
    expect(existsSync(pidFile)).toBe(true);
    await new Promise((res) => setTimeout(res, 300));
    const { readdirSync, readlinkSync } = await import('node:fs');
    const left = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`).startsWith(workspace);
      } catch {
        return false;
      }
    });
    expect(left).toEqual([]);
  });

  it('an endless loop is stopped by the time limit, naming it', async () => {
    const r = await run('for (;;) {}', 1_500);
    expect(r.timedOut).toBe(true);
    expect(r.ok).toBe(false);
  });
});

describe('resource bounds inside the sandbox', () => {
  it('stops an endless loop at its CPU-time limit and names the bound', async () => {
    const { mkdtemp: mk } = await import('node:fs/promises');
    const ws = await mk(join(tmpdir(), 'pd-sandbox-cpu-'));
    const result = await runProcess(
      bwrapSandbox.wrap(
        { command: process.execPath, args: ['-e', 'for (;;) {}'], cwd: ws, env: scrubbedEnv(ws), timeoutMs: 30_000 },
        { writable: [ws], readOnly: [], network: false, limits: { cpuSeconds: 1 } },
      ),
    );
    expect(result.timedOut).toBe(false);
    expect(sandboxBoundHit(result)).toBe('the CPU-time limit');
  });

  it('refuses a file larger than the file-size limit and names the bound', async () => {
    const { mkdtemp: mk } = await import('node:fs/promises');
    const ws = await mk(join(tmpdir(), 'pd-sandbox-fsize-'));
    const result = await runProcess(
      bwrapSandbox.wrap(
        { command: process.execPath, args: ['-e', "require('fs').writeFileSync('big.bin', Buffer.alloc(4_000_000))"], cwd: ws, env: scrubbedEnv(ws), timeoutMs: 30_000 },
        { writable: [ws], readOnly: [], network: false, limits: { fileBytes: 1_000_000 } },
      ),
    );
    expect(result.ok).toBe(false);
    expect(sandboxBoundHit(result)).toBe('the file-size limit');
  });
});
