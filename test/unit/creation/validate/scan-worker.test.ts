import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parsePluginSpec } from '../../../../src/creation/spec/index.js';
import { ensureToolchain } from '../../../../src/creation/toolchain/index.js';
import { ScanWorker, scanSandboxPolicy, validatePlugin } from '../../../../src/creation/validate/index.js';
import { childNode } from '../../../../src/shared/child-node.js';
import { WORKER_DIR } from '../../../../src/shared/package-paths.js';
import { runProcess, scrubbedEnv } from '../../../../src/shared/process-runner.js';
import { bwrapSandbox, type Sandbox } from '../../../../src/shared/sandbox/index.js';

// A scanner that answers what a compromised or broken one might: it reads the real request from its
// stdin and answers as its mode says.
const HOSTILE = `
import { createInterface } from 'node:readline';
const mode = process.argv[2];
const finding = { file: 'src/a.ts', line: 1, rule: 'eval', message: 'runs text as code with eval' };
const say = (value) => process.stdout.write(JSON.stringify(value) + '\\n');
createInterface({ input: process.stdin }).on('line', (line) => {
  const { id } = JSON.parse(line);
  if (mode === 'not-json') process.stdout.write('scanned, all fine\\n');
  if (mode === 'huge') process.stdout.write('{"id":' + id + ',"findings":[' + (JSON.stringify(finding) + ',').repeat(5000));
  if (mode === 'wrong-type') say({ id, findings: [{ ...finding, line: '1' }] });
  if (mode === 'extra-key') say({ id, findings: [], ok: true });
  if (mode === 'stranger') say({ id, findings: [{ ...finding, file: '/etc/passwd' }] });
  if (mode === 'other-id') say({ id: id + 1, findings: [] });
  if (mode === 'error') say({ id, error: 'the parser broke' });
  if (mode === 'exit') process.exit(3);
  // Answers to an emit request: a file outside dist/, one its sources do not make, one missing.
  const js = (path) => ({ path, content: 'export {};\\n' });
  if (mode === 'emit-escape') say({ id, outputs: [js('dist/a.js'), js('dist/a.d.ts'), js('../../plugins/other/dist/index.js')], diagnostics: [], wholeProgram: false });
  if (mode === 'emit-extra') say({ id, outputs: [js('dist/a.js'), js('dist/a.d.ts'), js('dist/hook.js')], diagnostics: [], wholeProgram: false });
  if (mode === 'emit-missing') say({ id, outputs: [js('dist/a.js')], diagnostics: [], wholeProgram: false });
  if (mode === 'emit-twice') say({ id, outputs: [js('dist/a.js'), js('dist/a.js')], diagnostics: [], wholeProgram: false });
  // 'silent': reads and never answers.
});
`;

// Run in the scanner's sandbox: TypeScript loads; its own folder, a folder it was not given and the
// host's loopback (a listening server) are each tried.
const PROBE = `
import { readdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
const [ownFolder, secret, port] = process.argv.slice(1);
const code = (fn) => { try { fn(); return 'allowed'; } catch (error) { return error.code; } };
const ts = (await import('typescript')).default;
const network = await new Promise((resolve) => {
  const socket = connect(Number(port), '127.0.0.1');
  socket.on('connect', () => { socket.destroy(); resolve('connected'); });
  socket.on('error', (error) => resolve(error.code));
});
console.log(JSON.stringify({ parser: typeof ts.createSourceFile, ownFolder: code(() => writeFileSync(ownFolder + '/x', 'x')), secret: code(() => readdirSync(secret)), network }));
`;

let root: string;
let hostile: string;
const scanners: ScanWorker[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pd-scan-worker-'));
  hostile = join(root, 'hostile-scanner.mjs');
  await writeFile(hostile, HOSTILE);
});

afterEach(() => {
  for (const scanner of scanners.splice(0)) scanner.close();
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A "sandbox" that runs the hostile scanner in the given modes, one per start, instead of the real one. */
function replacedBy(...modes: string[]): Sandbox {
  return { kind: 'none', wrap: (spec) => ({ ...spec, args: [hostile, modes.shift() ?? 'silent'] }) };
}

function scanner(opts: ConstructorParameters<typeof ScanWorker>[0]): ScanWorker {
  const made = new ScanWorker(opts);
  scanners.push(made);
  return made;
}

const FILES = [{ path: 'src/a.ts', content: 'eval(code);\n' }];

describe('the scanner process', () => {
  it('runs with nothing writable, no network, and only its own folder and TypeScript to read', () => {
    const policy = scanSandboxPolicy();
    expect(policy).toMatchObject({ writable: [], network: false });
    expect(policy.readOnly).toEqual([WORKER_DIR, expect.stringMatching(/[\\/]node_modules[\\/]typescript$/)]);
  });

  it('cannot write its own folder, read anything it was not given, or reach the network', async () => {
    const secret = join(root, 'secret');
    await mkdir(secret, { recursive: true });
    await writeFile(join(secret, 'key'), 'k');
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // What the scanner's process could do, tried by a script in its place, under its own policy.
      const spec = bwrapSandbox.wrap(
        { command: (await childNode()).path, args: ['--input-type=module', '-e', PROBE, WORKER_DIR, secret, String(port)], cwd: WORKER_DIR, env: scrubbedEnv('/tmp') },
        scanSandboxPolicy(),
      );
      const run = await runProcess({ ...spec, timeoutMs: 60_000, maxOutputBytes: 65_536 });
      expect(JSON.parse(run.stdout.trim())).toEqual({ parser: 'function', ownFolder: 'EROFS', secret: 'ENOENT', network: 'ECONNREFUSED' });
    } finally {
      server.close();
    }
  });

  it('answers scan after scan from one warm process', async () => {
    const warm = scanner({});
    await warm.warm();
    expect(await warm.scan(FILES, { timeoutMs: 60_000 })).toEqual([expect.objectContaining({ file: 'src/a.ts', line: 1, rule: 'eval' })]);
    expect(await warm.scan([{ path: 'src/b.ts', content: 'export const b = 1;\n' }], { timeoutMs: 60_000 })).toEqual([]);
  });

  it.each([
    ['not-json', 'not JSON'],
    ['huge', 'more than 65536 bytes in one answer'],
    ['wrong-type', 'wrong shape'],
    ['extra-key', 'wrong shape'],
    ['stranger', 'named "/etc/passwd", which it was not given'],
    ['other-id', 'which was not asked'],
    ['error', 'could not scan: the parser broke'],
    ['exit', 'ended without answering'],
  ])('fails closed when its answer is %s', async (mode, problem) => {
    const lying = scanner({ sandbox: replacedBy(mode), outputCapBytes: 65_536 });
    await expect(lying.scan(FILES, { timeoutMs: 60_000 })).rejects.toMatchObject({
      code: 'SOURCE_SCAN_FAILED',
      message: expect.stringContaining(problem),
      hint: expect.stringContaining('plugin-dynamic doctor'),
    });
  });

  it('compiles the shipped build file by file: JavaScript and declarations under dist/, or the syntax errors', async () => {
    const warm = scanner({});
    const OPTIONS = { target: 'ES2022', module: 'ESNext', verbatimModuleSyntax: true, declaration: true, outDir: 'dist', rootDir: 'src' };
    const built = await warm.emit(
      [
        { path: 'src/index.ts', content: "import type { Item } from './item.js';\nexport const first = (items: Item[]): Item | undefined => items[0];\n" },
        { path: 'src/item.ts', content: 'export interface Item { id: number }\n' },
      ],
      OPTIONS,
      { timeoutMs: 60_000 },
    );
    expect(built.wholeProgram).toBe(false);
    expect(Object.fromEntries(built.outputs.map((o) => [o.path, o.content]))).toEqual({
      'dist/index.js': 'export const first = (items) => items[0];\n',
      'dist/index.d.ts': "import type { Item } from './item.js';\nexport declare const first: (items: Item[]) => Item | undefined;\n",
      'dist/item.js': 'export {};\n',
      'dist/item.d.ts': 'export interface Item {\n    id: number;\n}\n',
    });
    // An export whose type only the whole program knows: nothing is made here, tsc builds it.
    const inferred = await warm.emit([{ path: 'src/index.ts', content: "import { other } from './other.js';\nexport const value = other();\n" }], OPTIONS, { timeoutMs: 60_000 });
    expect(inferred).toEqual({ outputs: [], diagnostics: [], wholeProgram: true });
    const broken = await warm.emit([{ path: 'src/index.ts', content: 'export const = 1;\n' }], OPTIONS, { timeoutMs: 60_000 });
    expect(broken.outputs).toEqual([]);
    expect(broken.diagnostics).toContainEqual({ file: 'src/index.ts', line: 1, code: 'TS1134', message: 'Variable declaration expected.' });
  });

  it.each([
    ['emit-escape', 'emitted "../../plugins/other/dist/index.js", which its sources do not make'],
    ['emit-extra', 'emitted "dist/hook.js", which its sources do not make'],
    ['emit-missing', 'emitted 1 file(s) where the sources make 2'],
    ['emit-twice', 'emitted 2 file(s) where the sources make 2'],
    ['not-json', 'not JSON'],
    ['other-id', 'which was not asked'],
  ])('fails an emit closed when its answer is %s', async (mode, problem) => {
    const lying = scanner({ sandbox: replacedBy(mode) });
    await expect(lying.emit(FILES, { declaration: true }, { timeoutMs: 60_000 })).rejects.toMatchObject({ code: 'SOURCE_SCAN_FAILED', message: expect.stringContaining(problem) });
  });

  it('fails closed when it never answers, once the time limit passes', async () => {
    const silent = scanner({ sandbox: replacedBy('silent') });
    await expect(silent.scan(FILES, { timeoutMs: 300 })).rejects.toMatchObject({ code: 'PROCESS_TIMEOUT' });
  });

  it('is replaced by a fresh process after a failure', async () => {
    const real: Sandbox = { kind: 'none', wrap: (spec) => spec };
    let starts = 0;
    const flaky = scanner({ sandbox: { kind: 'none', wrap: (spec) => (starts++ === 0 ? replacedBy('exit').wrap(spec, scanSandboxPolicy()) : real.wrap(spec, scanSandboxPolicy())) } });
    await expect(flaky.scan(FILES, { timeoutMs: 60_000 })).rejects.toMatchObject({ code: 'SOURCE_SCAN_FAILED' });
    expect(await flaky.scan(FILES, { timeoutMs: 60_000 })).toEqual([expect.objectContaining({ rule: 'eval' })]);
    expect(starts).toBe(2);
  });

  it('fails a scan still waiting when the scanner is stopped for another (a timeout) or closed', async () => {
    const silent = scanner({ sandbox: replacedBy('silent', 'silent') });
    const waiting = silent.scan(FILES, { timeoutMs: 60_000 });
    await expect(silent.scan(FILES, { timeoutMs: 300 })).rejects.toMatchObject({ code: 'PROCESS_TIMEOUT' });
    await expect(waiting).rejects.toMatchObject({ code: 'SOURCE_SCAN_FAILED', message: expect.stringContaining('stopped before it answered') });
    const closing = silent.scan(FILES, { timeoutMs: 60_000 });
    await silent.warm();
    silent.close();
    await expect(closing).rejects.toMatchObject({ code: 'SOURCE_SCAN_FAILED' });
  });

  it('closed when idle, it answers what it was already asked (the shipped build) and takes nothing new', async () => {
    const warm = scanner({});
    const OPTIONS = { target: 'ES2022', module: 'ESNext', verbatimModuleSyntax: true, declaration: true, outDir: 'dist', rootDir: 'src' };
    const building = warm.emit([{ path: 'src/index.ts', content: 'export const one: number = 1;\n' }], OPTIONS, { timeoutMs: 60_000 });
    const scanning = warm.scan(FILES, { timeoutMs: 60_000 });
    warm.closeWhenIdle();
    await expect(warm.scan(FILES, { timeoutMs: 60_000 })).rejects.toMatchObject({ code: 'SOURCE_SCAN_FAILED', message: expect.stringContaining('closed') });
    expect((await building).outputs.map((o) => o.path).sort()).toEqual(['dist/index.d.ts', 'dist/index.js']);
    expect(await scanning).toEqual([expect.objectContaining({ rule: 'eval' })]);
    await expect(warm.emit([], OPTIONS, { timeoutMs: 60_000 })).rejects.toMatchObject({ code: 'SOURCE_SCAN_FAILED' });
  });

  it('stops a cancelled scan as a cancelled job', async () => {
    const silent = scanner({ sandbox: replacedBy('silent') });
    const controller = new AbortController();
    const scanning = silent.scan(FILES, { timeoutMs: 60_000, signal: controller.signal });
    controller.abort();
    await expect(scanning).rejects.toMatchObject({ code: 'JOB_CANCELLED' });
  });
});

describe('validation with a scanner that gives no usable answer', () => {
  it('fails with SOURCE_SCAN_FAILED instead of passing a plugin that is otherwise complete', async () => {
    const spec = parsePluginSpec({ name: 'plugin-memo', description: 'Keeps memos for the agent', version: '0.1.0', actions: [{ name: 'addMemo', description: 'Add a memo' }] });
    const dir = join(root, 'ws');
    await mkdir(join(dir, 'src', '__tests__'), { recursive: true });
    await mkdir(join(dir, 'dist'), { recursive: true });
    const files = [
      { path: 'src/index.ts', content: 'export const note = (text: string): string => text.trim();\n' },
      { path: 'src/__tests__/plugin.test.ts', content: "import { addMemoAction } from '../actions/add-memo.js';\n" },
    ];
    for (const file of files) await writeFile(join(dir, file.path), file.content);
    await writeFile(join(dir, 'dist', 'index.js'), "export const plugin = { name: 'plugin-memo', actions: [{ name: 'ADD_MEMO' }] };\n");
    const toolchain = await ensureToolchain(join(root, 'data'));

    const honest = await validatePlugin({ workspaceDir: dir, spec, toolchain, timeoutMs: 60_000, files, scanner: scanner({}) });
    expect(honest.ok).toBe(true);
    await expect(
      validatePlugin({ workspaceDir: dir, spec, toolchain, timeoutMs: 60_000, files, scanner: scanner({ sandbox: replacedBy('not-json') }) }),
    ).rejects.toMatchObject({ code: 'SOURCE_SCAN_FAILED' });
  });
});
