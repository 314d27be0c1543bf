// A long-lived checker for one generated workspace: TypeScript and ESLint through their Node APIs,
// kept warm between iterations so a repair loop does not pay their start-up again and again.
// Protocol: one JSON request per stdin line ({ id, command: 'warm' | 'build' | 'lint' }), one JSON answer
// per stdout line ({ id, ok, diagnostics, fixed? } or { id, error }); `fixed` lists the sources
// ESLint's fixes changed, with their new text. It runs with cwd = the workspace and resolves the
// tools from the workspace's own node_modules (the linked shared toolchain).
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

/** A module entry as Node's loader leaves one, for a module loaded another way. */
function loadedModule(filename, exports) {
  const entry = new Module(filename);
  entry.filename = filename;
  // TypeScript requires nothing after it is loaded but Node's own modules.
  entry.paths = [];
  entry.exports = exports;
  entry.loaded = true;
  return entry;
}

const workspace = process.cwd();
const require = createRequire(join(workspace, 'package.json'));
// Started from the checker's startup snapshot (checker-snapshot.cjs): its TypeScript and parsed
// libraries, when that TypeScript is the one this workspace resolves; otherwise loaded here.
const snapshot = globalThis.pluginDynamicChecker;
const fromSnapshot = snapshot !== undefined && snapshot.typescriptPath === realpathSync(require.resolve('typescript'));
const ts = fromSnapshot ? snapshot.ts : require('typescript');
// ESLint's parser requires TypeScript too: it is given the same one, not a second copy to load.
if (fromSnapshot) require.cache[snapshot.typescriptPath] ??= loadedModule(snapshot.typescriptPath, snapshot.ts);

const { ESLint } = await import(pathToFileURL(require.resolve('eslint')).href);
// The parser the workspace's ESLint config loads (typescript-eslint's), for its caches.
const parser = createRequire(require.resolve('typescript-eslint'))('@typescript-eslint/parser');

// Source files parsed once and reused while their file has not changed (lib and core .d.ts above all).
// The snapshot's files come with their stamps, and are parsed again when their file changed since.
const sourceCache = new Map(fromSnapshot ? snapshot.files : []);
let builder;
// The settings the current builder was made with (compiler options and configuration errors).
let builderSettings;
let slowEslint;
// Lint results of files whose text and whose dependencies' text are unchanged: { key, messages }.
let lintCache = new Map();
// The hash of each parsed source file's text, by file object (an unchanged file keeps its object).
const textHashes = new WeakMap();
const inWorkspace = (fileName) => fileName.startsWith(`${workspace}/`) && !fileName.includes('/node_modules/');

/**
 * What says a file is unchanged: the workspace's own files by their text (a rewrite within one
 * clock tick still counts), the libraries by modification time and size. Undefined when unreadable.
 */
function stampOf(fileName) {
  try {
    if (inWorkspace(fileName)) return readFileSync(fileName, 'utf8');
    const info = statSync(fileName);
    return `${info.mtimeMs}:${info.size}`;
  } catch {
    return undefined;
  }
}

function compilerHost(options) {
  const host = ts.createIncrementalCompilerHost(options);
  // As tsc's own command line: JSDoc is parsed where a type error can depend on it, not in every .d.ts.
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const stamp = stampOf(fileName);
    if (stamp === undefined) return read(fileName, languageVersion, onError, shouldCreate);
    const cached = sourceCache.get(fileName);
    if (cached && cached.stamp === stamp) return cached.file;
    // A file of the snapshot whose time changed but not its text (the same package installed again).
    if (cached?.sha256 !== undefined && cached.sha256 === createHash('sha256').update(readFileSync(fileName, 'utf8')).digest('hex')) {
      sourceCache.set(fileName, { ...cached, stamp });
      return cached.file;
    }
    const file = read(fileName, languageVersion, onError, shouldCreate);
    if (file) sourceCache.set(fileName, { stamp, file });
    return file;
  };
  return host;
}

/**
 * The program brought up to date with the workspace as it is now: an incremental builder, so only
 * changed files are parsed again and only they and the files that depend on them are checked.
 * `reuse` (lint, right after its build): the last program as it is when nothing it read changed.
 * Only for that: a file it looked for and did not find is not watched, so each build makes a program.
 */
function update(reuse = false) {
  const configPath = join(workspace, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!parsed) return undefined;
  const options = { ...parsed.options, incremental: true, tsBuildInfoFile: join(workspace, '.tsbuildinfo') };
  const settings = JSON.stringify([options, parsed.errors.map((e) => e.messageText)]);
  // Nothing changed since the build: its program, whose type checker already knows every type the
  // build checked (a new program would start a new checker and check them all again).
  if (reuse && builder && settings === builderSettings && isCurrent(builder.getProgram(), parsed.fileNames)) return builder;
  builder = ts.createEmitAndSemanticDiagnosticsBuilderProgram(parsed.fileNames, options, compilerHost(options), builder, parsed.errors);
  builderSettings = settings;
  return builder;
}

/** Whether the program was made from these root files and every file it read is unchanged (the host's own stamps). */
function isCurrent(program, rootNames) {
  const roots = program.getRootFileNames();
  if (roots.length !== rootNames.length || roots.some((name, i) => name !== rootNames[i])) return false;
  return program.getSourceFiles().every((file) => {
    const cached = sourceCache.get(file.fileName);
    return cached?.file === file && stampOf(file.fileName) === cached.stamp;
  });
}

function build() {
  if (!update()) return { ok: false, diagnostics: [{ tool: 'tsc', message: 'tsconfig.json could not be read' }] };
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


function hashOf(file) {
  let hash = textHashes.get(file);
  if (!hash) {
    hash = createHash('sha256').update(file.text).digest('hex');
    textHashes.set(file, hash);
  }
  return hash;
}

/** What a file's lint result depends on: its text, the text of every file it depends on, and the lint configuration. */
function lintKey(program, file, config) {
  const hash = createHash('sha256').update(config).update(hashOf(file));
  for (const name of [...builder.getAllDependencies(file)].sort()) {
    const dependency = program.getSourceFile(name);
    hash.update(`\0${name}\0${dependency ? hashOf(dependency) : 'missing'}`);
  }
  return hash.digest('hex');
}

const asDiagnostics = (filePath, messages) =>
  messages
    .filter((m) => m.severity >= 2)
    .map((m) => ({ tool: 'eslint', file: relative(workspace, filePath), line: m.line, column: m.column, code: m.ruleId ?? 'parse-error', message: m.message }));

/**
 * ESLint's fixes, written and handed back, on the files that have fixable problems: through
 * typescript-eslint's project service, which parses each fix pass's text again (a given program
 * would answer every pass with the text it was made from). A fresh service reads every file as it is now.
 */
async function fixFiles(paths) {
  if (slowEslint) parser.clearCaches();
  slowEslint ??= new ESLint({ cwd: workspace, fix: true });
  const results = await slowEslint.lintFiles(paths);
  // Each file is replaced atomically: the tests may be reading the same sources at this moment.
  const fixed = [];
  for (const r of results) {
    if (typeof r.output !== 'string' || r.output === readFileSync(r.filePath, 'utf8')) continue;
    const temp = `${r.filePath}.${process.pid}.fix`;
    writeFileSync(temp, r.output);
    renameSync(temp, r.filePath);
    fixed.push({ path: relative(workspace, r.filePath), content: r.output });
  }
  return { results, fixed };
}

/**
 * The plugin's sources (src/) linted with the build's program for type information, so lint
 * starts no TypeScript of its own; a file is linted again only when its text or a file it depends
 * on changed. Files with fixable problems are fixed through the project service (fixFiles).
 */
async function lint() {
  const current = update(true);
  if (!current) return { ok: false, diagnostics: [{ tool: 'eslint', message: 'tsconfig.json could not be read' }] };
  const program = current.getProgram();
  // Files that can change every file's types (scripts, declarations, global augmentations) count for every file.
  const globals = program
    .getSourceFiles()
    .filter((f) => inWorkspace(f.fileName) && (f.isDeclarationFile || !ts.isExternalModule(f) || f.text.includes('declare global')))
    .map((f) => `${f.fileName}\0${hashOf(f)}`);
  const config = [...['eslint.config.js', 'tsconfig.json'].map((name) => readFileSync(join(workspace, name), 'utf8')), ...globals].join('\0');
  const sources = program.getSourceFiles().filter((f) => f.fileName.startsWith(`${workspace}/src/`) && !f.isDeclarationFile);
  const results = new Map();
  const next = new Map();
  const stale = [];
  for (const file of sources) {
    const key = lintKey(program, file, config);
    const cached = lintCache.get(file.fileName);
    if (cached?.key === key) {
      results.set(file.fileName, cached.messages);
      next.set(file.fileName, cached);
    } else stale.push({ file, key });
  }
  // A file that is gone, or fixed below (its text changes), leaves the cache.
  lintCache = next;
  const fixable = [];
  if (stale.length > 0) {
    const eslint = new ESLint({ cwd: workspace, fix: false, overrideConfig: { languageOptions: { parserOptions: { projectService: false, programs: [program] } } } });
    const linted = await eslint.lintFiles(stale.map((s) => s.file.fileName));
    const keys = new Map(stale.map((s) => [s.file.fileName, s.key]));
    for (const r of linted) {
      if (r.messages.some((m) => m.fix)) fixable.push(r.filePath);
      else if (keys.has(r.filePath)) lintCache.set(r.filePath, { key: keys.get(r.filePath), messages: r.messages });
      results.set(r.filePath, r.messages);
    }
  }
  let fixed = [];
  if (fixable.length > 0) {
    const fixing = await fixFiles(fixable);
    fixed = fixing.fixed;
    for (const r of fixing.results) results.set(r.filePath, r.messages);
  }
  const diagnostics = [...results.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).flatMap(([fileName, messages]) => asDiagnostics(fileName, messages));
  return { ok: diagnostics.length === 0, diagnostics, fixed };
}

/**
 * Before the sources exist: TypeScript parses the libraries every plugin compiles against (the
 * standard library, Node's and ElizaOS core's types) and ESLint loads its configuration and rules,
 * so the first build and lint find them ready. Nothing of the workspace's own is read or judged.
 */
async function warm() {
  try {
    await prepare();
  } catch {
    // Warming is an optimisation: whatever failed here is met, and reported, by the build and lint.
  }
  return { ok: true, diagnostics: [] };
}

async function prepare() {
  // From the snapshot, the libraries are parsed and bound already.
  const parsed = fromSnapshot ? undefined : ts.getParsedCommandLineOfConfigFile(join(workspace, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (parsed) {
    const host = compilerHost(parsed.options);
    const probe = join(workspace, '.warm-probe.ts');
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, ...rest) =>
      fileName === probe ? ts.createSourceFile(probe, "import '@elizaos/core';\nimport 'vitest';\n", ts.ScriptTarget.ES2022, true) : read(fileName, ...rest);
    // The checker binds every file it is given, once per file: the libraries come bound to the first build.
    ts.createProgram([probe], { ...parsed.options, noEmit: true }, host).getTypeChecker();
  }
  slowEslint ??= new ESLint({ cwd: workspace, fix: true });
  await slowEslint.calculateConfigForFile(join(workspace, 'src', 'index.ts'));
}

const commands = { warm, build, lint };
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
