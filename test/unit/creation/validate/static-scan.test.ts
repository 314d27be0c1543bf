import { afterAll, describe, expect, it } from 'vitest';
import { ScanWorker, type Finding } from '../../../../src/creation/validate/index.js';
import { scanSource } from '../../../../src/creation/validate/static-scan.js';

// The scan in the agent's own process no longer happens; the scanner process must give the same verdicts.
const scanner = new ScanWorker();
afterAll(() => scanner.close());
type Scan = (files: { path: string; content: string }[]) => Promise<Finding[]>;
const SCANS: { via: string; scan: Scan }[] = [
  { via: 'in this process', scan: (files) => Promise.resolve(scanSource(files)) },
  { via: 'through the sandboxed scanner process', scan: (files) => scanner.scan(files, { timeoutMs: 60_000 }) },
];

describe.each(SCANS)('the static scan $via', ({ scan }) => {
  const rules = async (content: string): Promise<string[]> => (await scan([{ path: 'src/plugin.ts', content }])).map((f) => f.rule);

  describe('refuses', () => {
    it.each([
      ["import cp from 'child_process';", 'forbidden-module'],
      ["import * as cp from 'node:child_process';", 'forbidden-module'],
      ["export { spawn } from 'node:child_process';", 'forbidden-module'],
      ["import cp = require('child_process');", 'forbidden-module'],
      ["const { fork } = await import('child_process');", 'forbidden-module'],
      ["import { Worker } from 'node:worker_threads';", 'forbidden-module'],
      ["import vm from 'vm';", 'forbidden-module'],
      ["import { createSocket } from 'node:dgram';", 'forbidden-module'],
      ["import { connect } from 'tls';", 'forbidden-module'],
      ["import { createRequire } from 'node:module';", 'forbidden-module'],
    ])('a module that escapes the agent: %s', async (code, rule) => {
      expect(await rules(code)).toContain(rule);
    });

    it.each([
      ['eval(source);', 'eval'],
      ['(0, eval)(source);', 'eval'],
      ["globalThis['eval'](source);", 'eval'],
      ['const make = Function; make(source);', 'new-function'],
      ['const f = new globalThis.Function(source);', 'new-function'],
      ['const m = await import(`./${name}.js`);', 'dynamic-import'],
      ['const m = require(name);', 'dynamic-import'],
    ])('code compiled or loaded at run time: %s', async (code, rule) => {
      expect(await rules(`declare const source: string; declare const name: string;\n${code}`)).toContain(rule);
    });

    it.each([
      'const keys = Object.keys(process.env);',
      'const copy = { ...process.env };',
      'send(JSON.stringify(process.env));',
      'send(process.env);',
      'const all = process.env;',
      "const all = process['env'];",
      'const all = globalThis.process.env;',
      'const { env } = process;',
      'const value = process.env[name];',
      'for (const key in process.env) send(key);',
    ])('reading the whole environment: %s', async (code) => {
      expect(await rules(`declare const send: (x: unknown) => void; declare const name: string;\n${code}`)).toContain('environment-read');
    });

    it.each([
      "writeFileSync('/etc/cron.d/job', 'x');",
      "await writeFile('../../../outside.txt', 'x');",
      "await appendFile(join(homedir(), '.bashrc'), 'x');",
      "await writeFile(path.join(os.homedir(), '.ssh', 'authorized_keys'), 'x');",
      'await writeFile(`${os.homedir()}/.profile`, \'x\');',
      "await mkdir(join(os.tmpdir(), 'drop'));",
      "const target = '/usr/local/bin/tool'; await writeFile(target, 'x');",
      "const up = join(base, '..', '..', 'x'); await rm(up);",
      "const fd = openSync('/etc/hosts', 'a');",
      "fs.createWriteStream('/var/log/x.log');",
    ])('writing outside the plugin data: %s', async (code) => {
      const prelude = 'declare const fs: any, os: any, path: any, base: string;\ndeclare function writeFileSync(...a: unknown[]): void; declare function writeFile(...a: unknown[]): Promise<void>; declare function appendFile(...a: unknown[]): Promise<void>;\ndeclare function mkdir(...a: unknown[]): Promise<void>; declare function rm(...a: unknown[]): Promise<void>; declare function join(...a: string[]): string; declare function homedir(): string; declare function openSync(...a: unknown[]): number;\n';
      expect(await rules(`${prelude}${code}`)).toContain('write-outside');
    });

    it.each(['process.binding("fs");', 'process.dlopen(module, "x.node");', 'const req = process.mainModule?.require;', "process['binding']('fs');"])(
      "Node's internals: %s",
      async (code) => {
        expect(await rules(`declare const module: object;\n${code}`)).toContain('process-internals');
      },
    );
  });

  describe('accepts', () => {
    it('ordinary plugin code: one setting from the environment, fetch, runtime settings, writes inside its data', async () => {
      const code = `import type { IAgentRuntime, Action } from '@elizaos/core';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const key = process.env.API_KEY ?? process.env['WEATHER_API_KEY'];

export async function weather(runtime: IAgentRuntime, city: string, dataDir: string): Promise<string> {
  const token = runtime.getSetting('WEATHER_API_KEY') ?? key;
  const res = await fetch(\`https://api.example.com/weather?q=\${encodeURIComponent(city)}\`, { headers: { token: String(token) } });
  const body = await res.text();
  await mkdir(join(dataDir, 'cache'), { recursive: true });
  await writeFile(join(dataDir, 'cache', \`\${city}.json\`), body);
  const fd = await readFile('/etc/hosts', 'utf8');
  const helper = { eval: (x: string) => x.length };
  const isFn = (x: unknown) => x instanceof Function;
  const handler: Function = () => helper.eval(fd);
  return String(isFn(handler));
}

export const action = { name: 'GET_WEATHER' } as unknown as Action;
`;
      expect(await scan([{ path: 'src/weather.ts', content: code }])).toEqual([]);
    });

    it('tests that import vitest and the plugin', async () => {
      const code = `import { describe, expect, it, vi } from 'vitest';
import { action } from '../weather.js';

describe('GET_WEATHER', () => {
  it('has its name', () => {
    vi.stubEnv('WEATHER_API_KEY', 'k');
    expect(action.name).toBe('GET_WEATHER');
  });
});
`;
      expect(await scan([{ path: 'src/__tests__/weather.test.ts', content: code }])).toEqual([]);
    });

    it('gives each finding its file and line', async () => {
      const findings = await scan([
        { path: 'src/a.ts', content: 'export const a = 1;\n' },
        { path: 'src/b.ts', content: "export const b = 1;\n\nimport('node:child_process');\n" },
      ]);
      expect(findings).toEqual([expect.objectContaining({ file: 'src/b.ts', line: 3, rule: 'forbidden-module' })]);
    });
  });
});
