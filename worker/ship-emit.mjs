// The shipped build made in the trusted scanner process (scan-worker.mjs), file by file: the
// accepted sources arrive on its stdin and are compiled in memory, nothing of a workspace is read
// and nothing is written. The sources were type-checked by the job's build with
// verbatimModuleSyntax (so isolatedModules): each file's JavaScript is then exactly what tsc emits
// for it, and so are its declarations when they can be written from the file alone (explicit types
// at its exports). When one cannot, the answer says so and the agent runs a whole-program tsc instead.
import ts from 'typescript';

/** @typedef {import('./scan-worker-protocol.d.mts').EmitDiagnostic} EmitDiagnostic */
/** @typedef {import('./scan-worker-protocol.d.mts').EmitAnswer} EmitAnswer */

/** The most errors one answer lists. */
const MAX_DIAGNOSTICS = 100;

/** @param {Record<string, unknown>} json a tsconfig's compilerOptions */
function optionsOf(json) {
  const converted = ts.convertCompilerOptionsFromJson(json, '/');
  const first = converted.errors[0];
  if (first) throw new Error(`the compiler options are not valid: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}`);
  // Where files go is decided here (dist/ beside src/); the folders' options only matter to a whole-program build.
  const options = { ...converted.options };
  delete options.rootDir;
  delete options.outDir;
  return options;
}

/** @param {string} path @param {readonly ts.Diagnostic[]} found @returns {EmitDiagnostic[]} */
function errorsOf(path, found) {
  return found
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, ' ').slice(0, 1_000);
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : undefined;
      return { file: path, ...(line ? { line } : {}), code: `TS${d.code}`, message };
    });
}

/**
 * Each .ts source under src/ (declaration files make nothing) compiled to dist/<name>.js and
 * dist/<name>.d.ts; or the syntax errors; or, when a file's declarations need the whole program,
 * `wholeProgram` with nothing emitted.
 * @param {{ path: string, content: string }[]} files
 * @param {Record<string, unknown>} compilerOptions
 * @returns {Omit<Extract<EmitAnswer, { outputs: unknown }>, 'id'>}
 */
export function emitShipped(files, compilerOptions) {
  const options = optionsOf(compilerOptions);
  /** @type {{ path: string, content: string }[]} */
  const outputs = [];
  /** @type {EmitDiagnostic[]} */
  const diagnostics = [];
  let wholeProgram = false;
  for (const file of files) {
    if (!file.path.startsWith('src/') || !file.path.endsWith('.ts') || file.path.endsWith('.d.ts')) continue;
    const stem = `dist/${file.path.slice('src/'.length, -'.ts'.length)}`;
    const js = ts.transpileModule(file.content, { compilerOptions: options, fileName: file.path, reportDiagnostics: true });
    diagnostics.push(...errorsOf(file.path, js.diagnostics ?? []));
    const dts = ts.transpileDeclaration(file.content, { compilerOptions: options, fileName: file.path, reportDiagnostics: true });
    if ((dts.diagnostics ?? []).some((d) => d.category === ts.DiagnosticCategory.Error)) wholeProgram = true;
    outputs.push({ path: `${stem}.js`, content: js.outputText }, { path: `${stem}.d.ts`, content: dts.outputText });
  }
  if (diagnostics.length > 0) return { outputs: [], diagnostics: diagnostics.slice(0, MAX_DIAGNOSTICS), wholeProgram: false };
  if (wholeProgram) return { outputs: [], diagnostics: [], wholeProgram: true };
  return { outputs, diagnostics: [], wholeProgram: false };
}
