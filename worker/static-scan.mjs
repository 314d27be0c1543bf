// The static scan of generated sources, run in its own sandboxed process (scan-worker.mjs), so the
// agent never loads the TypeScript compiler: the parser is a second to import and tens of MB to hold.
import ts from 'typescript';

/** @typedef {import('./static-scan.d.mts').Finding} Finding */

const FORBIDDEN_MODULES = new Map([
  ['child_process', 'starts processes'],
  ['worker_threads', 'starts threads outside the agent'],
  ['cluster', 'forks the process'],
  ['vm', 'compiles code at run time'],
  ['net', 'opens raw network sockets'],
  ['dgram', 'opens raw network sockets'],
  ['tls', 'opens raw network sockets'],
  ['inspector', 'attaches a debugger'],
  ['module', 'loads modules around the import checks (createRequire)'],
]);
const FS_WRITES = new Set([
  'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'mkdir', 'mkdirSync', 'rm', 'rmSync', 'rmdir', 'rmdirSync',
  'unlink', 'unlinkSync', 'rename', 'renameSync', 'createWriteStream', 'cp', 'cpSync', 'copyFile', 'copyFileSync', 'symlink', 'symlinkSync', 'chmod', 'chmodSync',
  'truncate', 'truncateSync', 'link', 'linkSync', 'chown', 'chownSync', 'utimes', 'utimesSync',
]);
/** open() is a write when its flags say so ('w', 'a', 'r+', ...). */
const FS_OPENS = new Set(['open', 'openSync']);
/** Names under which code can reach the global object (and so eval or Function). */
const GLOBAL_OBJECTS = new Set(['globalThis', 'global', 'window', 'self']);
/** process members that reach into Node's internals. */
const PROCESS_INTERNALS = new Set(['binding', 'dlopen', '_linkedBinding', 'mainModule']);

/** @param {string} spec */
const moduleName = (spec) => spec.replace(/^node:/, '').split('/')[0] ?? spec;

/** `process` itself, also when reached through the global object (`globalThis.process`). */
/** @param {ts.Node} node @returns {boolean} */
function isProcess(node) {
  if (ts.isIdentifier(node)) return node.text === 'process';
  return ts.isPropertyAccessExpression(node) && node.name.text === 'process' && ts.isIdentifier(node.expression) && GLOBAL_OBJECTS.has(node.expression.text);
}

/** The member a property or literal element access reads (`a.b`, `a['b']`), else undefined. */
/** @param {ts.Node} node @returns {string | undefined} */
function memberName(node) {
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) return node.argumentExpression.text;
  return undefined;
}

/** @param {ts.Node} node @returns {boolean} */
function isProcessEnv(node) {
  return (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && memberName(node) === 'env' && isProcess(node.expression);
}

/** `const NAME = <expression>` anywhere in the file, so a path kept in a constant is still judged. */
/** @param {ts.SourceFile} source @returns {Map<string, ts.Expression>} */
function constants(source) {
  /** @type {Map<string, ts.Expression>} */
  const out = new Map();
  /** @param {ts.Node} node */
  const visit = (node) => {
    if (ts.isVariableDeclarationList(node) && node.flags & ts.NodeFlags.Const) {
      for (const d of node.declarations) if (ts.isIdentifier(d.name) && d.initializer) out.set(d.name.text, d.initializer);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** @param {ts.Expression} node @returns {string | undefined} */
function literalPath(node) {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text;
  return undefined;
}

/** Whether a path expression leads outside the plugin's own data: absolute, home, temp, or "..". */
/**
 * @param {ts.Expression | undefined} node
 * @param {Map<string, ts.Expression>} consts
 * @returns {boolean}
 */
function leavesPluginData(node, consts, depth = 0) {
  if (!node || depth > 8) return false;
  /** @param {ts.Expression | undefined} e */
  const next = (e) => leavesPluginData(e, consts, depth + 1);
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node)) return next(node.expression);
  if (ts.isIdentifier(node)) return next(consts.get(node.text));
  const path = literalPath(node);
  if (path !== undefined) {
    const climbs = path.startsWith('/') || path.startsWith('~') || path.split(/[\\/]/).includes('..');
    return climbs || (ts.isTemplateExpression(node) && node.templateSpans.some((s) => next(s.expression) || s.literal.text.split(/[\\/]/).includes('..')));
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return next(node.left) || next(node.right);
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    if (name === 'homedir' || name === 'tmpdir') return true;
    if (name === 'join' || name === 'resolve') return node.arguments.some((a) => next(a));
  }
  return false;
}

/** open()'s flags argument asks for writing. */
/** @param {ts.Expression | undefined} flags */
function opensForWriting(flags) {
  return flags !== undefined && ts.isStringLiteralLike(flags) && /[wa+]/.test(flags.text);
}

/** An identifier used as a value, not as a property name, a declaration's name or a type. */
/** @param {ts.Identifier} node */
function isValueReference(node) {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isQualifiedName(parent) && parent.right === node) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertySignature(parent) || ts.isMethodSignature(parent)) && parent.name === node) return false;
  if ((ts.isVariableDeclaration(parent) || ts.isFunctionDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent)) && parent.name === node) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === node) return false;
  if (ts.isTypeReferenceNode(parent) || ts.isExpressionWithTypeArguments(parent) || ts.isTypeQueryNode(parent)) return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isLabeledStatement(parent)) return false;
  // `x instanceof Function` tests a value; it builds nothing.
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword && parent.right === node) return false;
  return true;
}

/**
 * Reads generated source with the TypeScript parser and refuses what a plugin has no business
 * doing: starting processes, compiling code at run time, importing what it computes, reading the
 * whole environment, raw sockets, and writing outside its own data.
 *
 * @param {readonly { path: string; content: string }[]} files
 * @returns {Finding[]}
 */
export function scanSource(files) {
  /** @type {Finding[]} */
  const findings = [];
  for (const file of files) {
    const source = ts.createSourceFile(file.path, file.content, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const consts = constants(source);
    /** @param {ts.Node} node @param {string} rule @param {string} message */
    const add = (node, rule, message) => {
      findings.push({ file: file.path, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, rule, message });
    };
    /** @param {ts.Node} node @param {string} spec */
    const checkModule = (node, spec) => {
      const why = FORBIDDEN_MODULES.get(moduleName(spec));
      if (why) add(node, 'forbidden-module', `imports "${spec}", which ${why}`);
    };
    /** @param {ts.Node} node */
    const visit = (node) => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        checkModule(node, node.moduleSpecifier.text);
      }
      if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
        checkModule(node, node.moduleReference.expression.text);
      }
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const first = node.arguments[0];
        if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) {
          if (first && ts.isStringLiteral(first)) checkModule(node, first.text);
          else add(node, 'dynamic-import', 'imports a module whose name is computed at run time');
        }
        const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
        const writes = FS_WRITES.has(name) || (FS_OPENS.has(name) && opensForWriting(node.arguments[1]));
        if (writes && leavesPluginData(first, consts)) add(node, 'write-outside', `${name} writes outside the plugin's own data`);
      }
      // eval and Function as values, however reached: eval(x), (0, eval)(x), globalThis.eval, new Function(x).
      if (ts.isIdentifier(node) && (node.text === 'eval' || node.text === 'Function') && isValueReference(node)) {
        if (node.text === 'eval') add(node, 'eval', 'runs text as code with eval');
        else add(node, 'new-function', 'builds a function from text with Function');
      }
      const member = memberName(node);
      if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && member !== undefined) {
        if ((member === 'eval' || member === 'Function') && ts.isIdentifier(node.expression) && GLOBAL_OBJECTS.has(node.expression.text)) {
          add(node, member === 'eval' ? 'eval' : 'new-function', `reaches ${member} through ${node.expression.text}`);
        }
        if (PROCESS_INTERNALS.has(member) && isProcess(node.expression)) add(node, 'process-internals', `uses process.${member}`);
      }
      // const { env } = process
      if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer && isProcess(node.initializer)) {
        for (const element of node.name.elements) {
          const key = element.propertyName ?? element.name;
          const keyName = ts.isIdentifier(key) || ts.isStringLiteral(key) ? key.text : '';
          if (keyName === 'env') add(element, 'environment-read', 'takes the whole environment out of process (use runtime.getSetting for one value)');
          if (PROCESS_INTERNALS.has(keyName)) add(element, 'process-internals', `uses process.${keyName}`);
        }
      }
      if (isProcessEnv(node)) {
        const parent = node.parent;
        const readsOneName =
          (ts.isPropertyAccessExpression(parent) && parent.expression === node) ||
          (ts.isElementAccessExpression(parent) && parent.expression === node && ts.isStringLiteralLike(parent.argumentExpression));
        if (!readsOneName) add(node, 'environment-read', 'reads the whole environment (use runtime.getSetting for one value)');
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return findings;
}
