// A long-lived checker for one generated workspace: TypeScript and ESLint through their Node APIs,
// kept warm between iterations so a repair loop does not pay their start-up again and again.
// Protocol: one JSON request per stdin line ({ id, command: 'build' | 'lint' }), one JSON answer
// per stdout line ({ id, ok, diagnostics, fixed? } or { id, error }); `fixed` lists the sources
// ESLint's fixes changed, with their new text. It runs with cwd = the workspace and resolves the
// tools from the workspace's own node_modules (the linked shared toolchain).
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const workspace = process.cwd();
const require = createRequire(join(workspace, 'package.json'));
const ts = require('typescript');
const { ESLint } = await import(pathToFileURL(require.resolve('eslint')).href);
// The parser the workspace's ESLint config loads (typescript-eslint's), for its caches.
const parser = createRequire(require.resolve('typescript-eslint'))('@typescript-eslint/parser');

// Source files parsed once and reused while their file has not changed (lib and core .d.ts above all).
const sourceCache = new Map();
let builder;
let eslint;

function compilerHost(options) {
  const host = ts.createIncrementalCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    let mtime = 0;
    try {
      mtime = statSync(fileName).mtimeMs;
    } catch {
      return read(fileName, languageVersion, onError, shouldCreate);
    }
    const cached = sourceCache.get(fileName);
    if (cached && cached.mtime === mtime) return cached.file;
    const file = read(fileName, languageVersion, onError, shouldCreate);
    if (file) sourceCache.set(fileName, { mtime, file });
    return file;
  };
  return host;
}

function build() {
  const configPath = join(workspace, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!parsed) return { ok: false, diagnostics: [{ tool: 'tsc', message: 'tsconfig.json could not be read' }] };
  const options = { ...parsed.options, incremental: true, tsBuildInfoFile: join(workspace, '.tsbuildinfo') };
  builder = ts.createEmitAndSemanticDiagnosticsBuilderProgram(parsed.fileNames, options, compilerHost(options), builder, parsed.errors);
  const emitted = builder.emit();
  const all = [...builder.getConfigFileParsingDiagnostics(), ...builder.getSyntacticDiagnostics(), ...builder.getOptionsDiagnostics(), ...builder.getGlobalDiagnostics(), ...builder.getSemanticDiagnostics(), ...emitted.diagnostics];
  const diagnostics = all
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
      if (!d.file || d.start === undefined) return { tool: 'tsc', code: `TS${d.code}`, message };
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return { tool: 'tsc', file: relative(workspace, d.file.fileName), line: line + 1, column: character + 1, code: `TS${d.code}`, message };
    });
  return { ok: diagnostics.length === 0, diagnostics };
}


async function lint() {
  // typescript-eslint's project service keeps every file it once opened with the text it had then
  // (its file watchers are stubs): a file linted before the one it imports would be checked against
  // the last iteration's types ("could not be resolved", "error typed"). A fresh service per lint
  // reads every file as it is now; the parsed libraries of the build stay warm.
  if (eslint) parser.clearCaches();
  eslint ??= new ESLint({ cwd: workspace, fix: true });
  // Only the plugin's sources: the rest of the workspace is the pipeline's, and the test run beside
  // this one creates and removes its report folder while a whole-workspace walk would read it.
  const results = await eslint.lintFiles(['src']);
  // Fixes are written first, so what is judged (and shown to a model) is what is left. Each file is
  // replaced atomically: the tests may be reading the same sources at this moment. The fixed
  // sources are handed back, so the pipeline keeps them as the accepted ones.
  const fixed = [];
  for (const r of results) {
    if (typeof r.output !== 'string' || r.output === readFileSync(r.filePath, 'utf8')) continue;
    const temp = `${r.filePath}.${process.pid}.fix`;
    writeFileSync(temp, r.output);
    renameSync(temp, r.filePath);
    fixed.push({ path: relative(workspace, r.filePath), content: r.output });
  }
  const diagnostics = results.flatMap((r) =>
    r.messages
      .filter((m) => m.severity >= 2)
      .map((m) => ({ tool: 'eslint', file: relative(workspace, r.filePath), line: m.line, column: m.column, code: m.ruleId ?? 'parse-error', message: m.message })),
  );
  return { ok: diagnostics.length === 0, diagnostics, fixed };
}

const commands = { build, lint };
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    continue;
  }
  try {
    const run = commands[request.command];
    if (!run) throw new Error(`unknown command ${request.command}`);
    const answer = await run();
    process.stdout.write(`${JSON.stringify({ id: request.id, ...answer })}\n`);
  } catch (error) {
    const text = error instanceof Error && error.stack ? error.stack : String(error);
    process.stdout.write(`${JSON.stringify({ id: request.id, error: text.slice(0, 4000) })}\n`);
  }
}
