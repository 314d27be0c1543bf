import ts from 'typescript';

/** Something in generated source that may not be loaded into an agent. */
export interface Finding {
  file: string;
  line: number;
  rule: string;
  message: string;
}

const FORBIDDEN_MODULES = new Map([
  ['child_process', 'starts processes'],
  ['worker_threads', 'starts threads outside the agent'],
  ['cluster', 'forks the process'],
  ['vm', 'compiles code at run time'],
  ['net', 'opens raw network sockets'],
  ['dgram', 'opens raw network sockets'],
  ['tls', 'opens raw network sockets'],
  ['inspector', 'attaches a debugger'],
]);
const FS_WRITES = new Set([
  'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'mkdir', 'mkdirSync', 'rm', 'rmSync', 'rmdir', 'rmdirSync',
  'unlink', 'unlinkSync', 'rename', 'renameSync', 'createWriteStream', 'cp', 'cpSync', 'copyFile', 'copyFileSync', 'symlink', 'symlinkSync', 'chmod', 'chmodSync',
]);

const moduleName = (spec: string): string => spec.replace(/^node:/, '').split('/')[0] ?? spec;

function isProcessEnv(node: ts.Node): boolean {
  return ts.isPropertyAccessExpression(node) && node.name.text === 'env' && ts.isIdentifier(node.expression) && node.expression.text === 'process';
}

function literalPath(node: ts.Expression | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text;
  return undefined;
}

function leavesPluginData(node: ts.Expression | undefined): boolean {
  const path = literalPath(node);
  if (path !== undefined) return path.startsWith('/') || path.startsWith('~') || path.split(/[\\/]/).includes('..');
  if (node && ts.isCallExpression(node)) {
    const callee = node.expression.getText();
    if (/homedir|tmpdir/.test(callee)) return true;
    if (/(^|\.)(join|resolve)$/.test(callee)) return node.arguments.some((a) => leavesPluginData(a));
  }
  return false;
}

/**
 * Reads generated source with the TypeScript parser and refuses what a plugin has no business
 * doing: starting processes, compiling code at run time, importing what it computes, reading the
 * whole environment, raw sockets, and writing outside its own data.
 */
export function scanSource(files: { path: string; content: string }[]): Finding[] {
  const findings: Finding[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file.path, file.content, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const add = (node: ts.Node, rule: string, message: string): void => {
      findings.push({ file: file.path, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, rule, message });
    };
    const checkModule = (node: ts.Node, spec: string): void => {
      const why = FORBIDDEN_MODULES.get(moduleName(spec));
      if (why) add(node, 'forbidden-module', `imports "${spec}", which ${why}`);
    };
    const visit = (node: ts.Node): void => {
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
        if (ts.isIdentifier(callee) && callee.text === 'eval') add(node, 'eval', 'runs text as code with eval');
        if (ts.isIdentifier(callee) && callee.text === 'Function') add(node, 'new-function', 'builds a function from text');
        const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
        if (FS_WRITES.has(name) && leavesPluginData(first)) add(node, 'write-outside', `${name} writes outside the plugin's own data`);
      }
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Function') {
        add(node, 'new-function', 'builds a function from text with new Function');
      }
      if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'process' && ['binding', 'dlopen', '_linkedBinding'].includes(node.name.text)) {
        add(node, 'process-internals', `uses process.${node.name.text}`);
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
