// Builds a V8 startup snapshot of the checker: TypeScript loaded, and the libraries every generated
// plugin compiles against (the standard library, Node's, ElizaOS core's and Vitest's types) parsed
// and bound, so a checker started from it begins where a warm one is. Node 20 has no compile cache;
// a startup snapshot is what lets a new process skip loading and parsing (node --build-snapshot).
//
// Run by the trusted side only (src/creation/steps/checker-snapshot.ts), never in a job's sandbox:
//   cd <a workspace with the template's tsconfig.json and the toolchain linked>
//   node <the checker's V8 flags> --snapshot-blob <out> --build-snapshot checker-snapshot.cjs
// A snapshot builder may require only Node's own modules, so TypeScript is read and compiled here.
// A checker started from the snapshot (node --snapshot-blob <blob> check-worker.mjs) runs
// checker-start.cjs, which imports check-worker.mjs; that adopts what is here only when its own
// TypeScript is the one this snapshot loaded (globalThis.pluginDynamicChecker).
'use strict';
const { createHash } = require('node:crypto');
const { readFileSync, realpathSync, statSync } = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const v8 = require('node:v8');

const workspace = process.cwd();
const typescriptPath = realpathSync(createRequire(path.join(workspace, 'package.json')).resolve('typescript'));
const loaded = { exports: {} };
// TypeScript's own CommonJS wrapper, as Node's loader would give it. Its optional requires
// (source-map-support, inspector) are met by Node's modules or caught by TypeScript itself.
new Function('exports', 'require', 'module', '__filename', '__dirname', readFileSync(typescriptPath, 'utf8'))(
  loaded.exports,
  require,
  loaded,
  typescriptPath,
  path.dirname(typescriptPath),
);
const ts = loaded.exports;

const parsed = ts.getParsedCommandLineOfConfigFile(path.join(workspace, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
if (!parsed) throw new Error('tsconfig.json could not be read');
/**
 * By file name: the parsed file, the stamp check-worker.mjs compares (modification time and size)
 * and the sha256 of its text, which keeps it in use when only the time changed (`npm ci` again).
 */
const files = new Map();
// The incremental host, as the checker's: it gives each file the version its builder program needs.
const host = ts.createIncrementalCompilerHost(parsed.options);
host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
const probe = path.join(workspace, '.warm-probe.ts');
const read = host.getSourceFile.bind(host);
host.getSourceFile = (fileName, ...rest) => {
  if (fileName === probe) return ts.createSourceFile(probe, "import '@elizaos/core';\nimport 'vitest';\n", ts.ScriptTarget.ES2022, true);
  const file = read(fileName, ...rest);
  if (file && !fileName.startsWith(`${workspace}/`)) {
    const info = statSync(fileName);
    files.set(fileName, { stamp: `${info.mtimeMs}:${info.size}`, sha256: createHash('sha256').update(readFileSync(fileName, 'utf8')).digest('hex'), file });
  }
  return file;
};
// Binding happens once per file and stays on it: the files come bound to the first program.
ts.createProgram([probe], { ...parsed.options, noEmit: true }, host).getTypeChecker();

globalThis.pluginDynamicChecker = { typescriptPath, ts, files };

v8.startupSnapshot.setDeserializeMainFunction(() => {
  // process.argv[1] is check-worker.mjs, as the checker is started; a module loaded now (not one
  // compiled into the snapshot) may import, so the worker is imported through checker-start.cjs.
  createRequire(process.argv[1])('./checker-start.cjs');
});
