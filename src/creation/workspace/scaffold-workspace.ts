import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { safeReadFile, safeRemove, safeWriteFile } from '../../shared/safe-fs/index.js';

import { normalizePermissions } from '../../management/permissions/plugin-permissions.js';
import type { PluginSpec } from '../spec/plugin-spec.js';

const CONFIG_MAX_BYTES = 64 * 1024;

/**
 * package.json of a generated plugin, with its settings declared the ElizaOS way and its permissions
 * in full (`agentConfig.permissions`: every field written, the least where nothing was asked for).
 * `dependencies` are the specification's plus any a generator added (already validated); the
 * default is the specification's alone. The job passes a specification whose permissions already
 * hold what its generator added (JobFiles).
 */
export function workspacePackageJson(spec: PluginSpec, dependencies: Record<string, string> = spec.dependencies): Record<string, unknown> {
  const pluginParameters = Object.fromEntries(
    spec.environmentVariables.map((v) => [
      v.name,
      { type: 'string', description: v.description, required: v.required, sensitive: v.sensitive },
    ]),
  );
  return {
    name: spec.name,
    version: spec.version,
    description: spec.description,
    type: 'module',
    main: 'dist/index.js',
    types: 'dist/index.d.ts',
    files: ['dist', '!dist/__tests__', '!dist/__contract__', '!dist/**/*.test.*'],
    keywords: ['elizaos', 'elizaos-plugin', 'plugin'],
    scripts: { build: 'tsc -p tsconfig.json', lint: 'eslint .', test: 'vitest run' },
    peerDependencies: { '@elizaos/core': '^1.7.0' },
    dependencies,
    // What the plugin may do isolated; read back by readDeclaredPermissions (at install and each activation).
    agentConfig: { pluginType: 'elizaos:plugin:1.0.0', pluginParameters, permissions: normalizePermissions(spec.permissions) },
    elizaos: { environmentVariables: spec.environmentVariables.map((v) => ({ ...v })) },
  };
}

/** The same strictness as plugin-dynamic itself; Bundler resolution because core 1.7's types need it. */
export const WORKSPACE_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'Bundler',
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    noImplicitOverride: true,
    noFallthroughCasesInSwitch: true,
    verbatimModuleSyntax: true,
    esModuleInterop: true,
    skipLibCheck: true,
    declaration: true,
    outDir: 'dist',
    rootDir: 'src',
  },
  include: ['src'],
};

export const WORKSPACE_ESLINT_CONFIG = `import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const RELATIVE_IMPORT_MESSAGE =
  'A relative import needs the .js extension (Node ESM): write "./x.js" for src/x.ts, "./dir/index.js" for a folder.';
// esquery ends a regular expression at its first slash, so the slash is written \\x2F.
const WITHOUT_JS = String.raw\`/^\\.\\.?\\x2F(?!.*\\.(js|json)$)/\`;
const RELATIVE_IMPORT_SELECTORS = ['ImportDeclaration', 'ExportNamedDeclaration', 'ExportAllDeclaration', 'ImportExpression'].map(
  (node) => \`\${node}[source.value=\${WITHOUT_JS}]\`,
);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vitest/**', '.vitest-report/**', '.home/**', 'eslint.config.js', 'vitest.config.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // The built plugin runs as Node ESM, where a relative import needs its .js extension; tsc with
      // Bundler resolution, and Vitest, accept it without, so this rule is what catches it early.
      'no-restricted-syntax': ['error', ...RELATIVE_IMPORT_SELECTORS.map((selector) => ({ selector, message: RELATIVE_IMPORT_MESSAGE }))],
    },
  },
);
`;

/**
 * Vitest runs the test files side by side in at least two worker processes (its default is one
 * fewer than the cores: a single worker on two, which ran a template plugin's six test files one
 * after another, 1.7 s against 1.0 s), each file still in a fresh process of its own.
 */
export const WORKSPACE_VITEST_CONFIG = `import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const workers = Math.min(4, Math.max(2, availableParallelism() - 1));

export default defineConfig({
  cacheDir: '.vitest',
  test: { include: ['src/**/*.test.ts'], watch: false, testTimeout: 20000, maxWorkers: workers, minWorkers: 1 },
});
`;

/** The configuration files the pipeline owns, by name, with their content. */
export function pipelineConfigFiles(spec: PluginSpec, dependencies: Record<string, string> = spec.dependencies): Record<string, string> {
  return {
    'package.json': `${JSON.stringify(workspacePackageJson(spec, dependencies), null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(WORKSPACE_TSCONFIG, null, 2)}\n`,
    'eslint.config.js': WORKSPACE_ESLINT_CONFIG,
    'vitest.config.ts': WORKSPACE_VITEST_CONFIG,
  };
}

/**
 * Names at the workspace's top that configure a tool the pipeline runs (Vitest/Vite, ESLint,
 * TypeScript, npm and other package managers, dotenv files Vite would load): a test that writes one
 * would change how the next step judges the plugin.
 */
const TOOL_CONFIG = /^(?:(?:vite|vitest)\.(?:config|workspace|projects)\.|eslint\.config\.|\.eslintrc|tsconfig.*\.json$|jsconfig.*\.json$|\.npmrc$|\.yarnrc|bunfig\.toml$|\.env)/;

/**
 * Puts the pipeline's own configuration back: its files rewritten (through links never followed),
 * and any other tool configuration at the workspace's top removed. Runs before every step.
 */
export async function restoreWorkspaceConfig(dir: string, spec: PluginSpec, dependencies: Record<string, string> = spec.dependencies): Promise<void> {
  const own = pipelineConfigFiles(spec, dependencies);
  for (const name of await readdir(dir)) {
    if (!(name in own) && TOOL_CONFIG.test(name)) await safeRemove(dir, name);
  }
  for (const [name, content] of Object.entries(own)) {
    // Rewritten only when changed: a step running beside this one keeps the same file.
    // A folder, FIFO or link at the name is removed (never followed), then the file is written.
    const current = await safeReadFile(dir, name, { maxBytes: CONFIG_MAX_BYTES }).catch(async () => {
      await safeRemove(dir, name);
      return undefined;
    });
    if (current !== content) await safeWriteFile(dir, name, content);
  }
}

/** Creates a job's workspace: package.json, tsconfig, ESLint and Vitest configs. No sources yet. */
export async function scaffoldWorkspace(dir: string, spec: PluginSpec, dependencies: Record<string, string> = spec.dependencies): Promise<void> {
  await mkdir(join(dir, 'src'), { recursive: true });
  await restoreWorkspaceConfig(dir, spec, dependencies);
}
