import { access, constants, mkdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import password from '@inquirer/password';
import { ensureToolchain } from '../creation/toolchain/index.js';
import type { JobRecord } from '../creation/jobs/job-record.js';
import { jobSummary } from '../creation/actions/job-summary.js';
import { PluginDynamicError } from '../errors.js';
import { pluginLine } from '../management/actions/plugin-summary.js';
import type { Backend, LifecycleVerb } from './backend.js';
import { headlessBackend } from './headless-backend.js';
import { httpBackend } from './http-backend.js';
import { printError, printResult, table, type OutputOptions } from './output.js';

interface GlobalOptions {
  dataDir?: string;
  agentUrl?: string;
  token?: string;
  json?: boolean;
  verbose?: boolean;
}

const program = new Command();
program
  .name('plugin-dynamic')
  .description('Find, install, configure, load, unload and create ElizaOS plugins.')
  .option('--data-dir <dir>', 'data folder of the headless runtime (default ./.eliza/plugin-dynamic)')
  .option('--agent-url <url>', 'talk to a running agent (e.g. http://127.0.0.1:3000/api/agents/<id>/plugins/plugin-dynamic) instead of a headless runtime')
  .option('--token <token>', 'API token for a running agent (default $PLUGIN_DYNAMIC_API_TOKEN)')
  .option('--json', 'print JSON for scripts')
  .option('--verbose', 'show logs and stack traces')
  .showHelpAfterError();

function output(): OutputOptions {
  const o = program.opts<GlobalOptions>();
  return { json: o.json === true, verbose: o.verbose === true };
}

/** Opens a backend, runs the command, closes it, and turns any error into one readable line. */
async function withBackend(run: (backend: Backend, out: OutputOptions) => Promise<void>): Promise<void> {
  const o = program.opts<GlobalOptions>();
  const out = output();
  let backend: Backend | undefined;
  try {
    const opened = o.agentUrl
      ? httpBackend(o.agentUrl, o.token ?? process.env['PLUGIN_DYNAMIC_API_TOKEN'])
      : await headlessBackend(resolve(o.dataDir ?? process.env['PLUGIN_DYNAMIC_DATA_DIR'] ?? '.eliza/plugin-dynamic'));
    backend = opened;
    await run(opened, out);
  } catch (error) {
    printError(out, error);
  } finally {
    await backend?.close().catch(() => undefined);
  }
}

program
  .command('search')
  .description('search the plugin registry')
  .argument('[query...]', 'words to search for')
  .option('--limit <n>', 'how many results', '10')
  .option('--all', 'include plugins that do not support ElizaOS 1.x')
  .action((query: string[], opts: { limit: string; all?: boolean }) =>
    withBackend(async (b, out) => {
      const answer = await b.search(query.join(' '), { limit: Number(opts.limit) || 10, v1Only: !opts.all });
      printResult(out, answer, () => {
        const rows = answer.hits.map((h) => [h.entry.name, h.entry.supportsV1 ? '1.x' : '-', h.entry.description.slice(0, 70)]);
        const warning = answer.warning ? `\n(${answer.warning})` : '';
        return (rows.length ? table(rows) : 'No plugin matches.') + warning;
      });
    }),
  );

program
  .command('info')
  .description('show what the registry knows about a plugin')
  .argument('<name>')
  .action((name: string) =>
    withBackend(async (b, out) => {
      const entry = await b.info(name);
      printResult(out, entry, () =>
        [
          entry.name,
          entry.description,
          `ElizaOS 1.x: ${entry.supportsV1 ? 'yes' : 'no'}${entry.npmV1Version ? ` (npm ${entry.npmV1Version})` : ''}`,
          entry.repository ? `repository: github.com/${entry.repository}` : '',
          entry.topics.length ? `topics: ${entry.topics.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
    }),
  );

program
  .command('list')
  .description('list installed plugins')
  .action(() =>
    withBackend(async (b, out) => {
      const plugins = await b.list();
      printResult(out, plugins, () => (plugins.length ? plugins.map(pluginLine).join('\n') : 'No plugins are installed.'));
    }),
  );

program
  .command('install')
  .description('install a plugin: registry name, name@range, github:owner/repo#ref, a folder or a .tgz')
  .argument('<source>')
  .option('--no-activate', 'do not load it after installing')
  .action((source: string, opts: { activate: boolean }) =>
    withBackend(async (b, out) => {
      const view = await b.install(source, opts.activate);
      printResult(out, view, () => `Installed ${pluginLine(view)}`);
    }),
  );

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

program
  .command('configure')
  .description('store settings of an installed plugin (values are never printed)')
  .argument('<plugin>')
  .argument('[pairs...]', 'NAME=value pairs')
  .option('--secret <name...>', 'ask for these values without echo')
  .option('--from-file <pair...>', 'NAME=path: read the value from a file')
  .option('--stdin <name>', 'read this value from standard input')
  .action((plugin: string, pairs: string[], opts: { secret?: string[]; fromFile?: string[]; stdin?: string }) =>
    withBackend(async (b, out) => {
      const values: Record<string, string> = {};
      for (const pair of pairs) {
        const at = pair.indexOf('=');
        if (at <= 0) throw new PluginDynamicError('INVALID_INPUT', `"${pair.slice(0, 40)}" is not NAME=value.`);
        values[pair.slice(0, at)] = pair.slice(at + 1);
      }
      for (const pair of opts.fromFile ?? []) {
        const at = pair.indexOf('=');
        if (at <= 0) throw new PluginDynamicError('INVALID_INPUT', `--from-file wants NAME=path, got "${pair.slice(0, 40)}".`);
        values[pair.slice(0, at)] = (await readFile(pair.slice(at + 1), 'utf8')).replace(/\r?\n$/, '');
      }
      if (opts.stdin) values[opts.stdin] = await readStdin();
      for (const name of opts.secret ?? []) {
        if (!process.stdin.isTTY) throw new PluginDynamicError('INVALID_INPUT', `--secret ${name} needs a terminal; use --stdin ${name} or --from-file.`);
        values[name] = await password({ message: `${name}:`, mask: '*' });
      }
      const view = await b.configure(plugin, values);
      printResult(out, view, () => `Stored ${Object.keys(values).join(', ')}: ${pluginLine(view)}`);
    }),
  );

for (const verb of ['activate', 'deactivate', 'unload'] as LifecycleVerb[]) {
  program
    .command(verb)
    .description(`${verb} an installed plugin in the live runtime`)
    .argument('<plugin>')
    .action((plugin: string) =>
      withBackend(async (b, out) => {
        const view = await b.lifecycle(verb, plugin);
        printResult(out, view, () => pluginLine(view));
      }),
    );
}

program
  .command('uninstall')
  .description('unload a plugin and remove its files and settings')
  .argument('<plugin>')
  .action((plugin: string) =>
    withBackend(async (b, out) => {
      const result = await b.uninstall(plugin);
      printResult(out, result, () => `Uninstalled ${result.packageName}.`);
    }),
  );

function jobLine(job: JobRecord): string {
  const where = job.status === 'running' ? ` ${job.phase ?? ''} ${job.progress}%` : '';
  return `${job.id.slice(0, 8)}  ${job.status}${where}  ${job.pluginName}  ${job.createdAt}`;
}

function summary(job: JobRecord): string {
  const lines = [`Job ${job.id.slice(0, 8)}: ${job.status} after ${job.iterations.length} iteration(s)`];
  if (job.tests) lines.push(`Tests: ${job.tests.passed}/${job.tests.total} passed`);
  if (job.validation) lines.push(`Validation: ${job.validation.ok ? 'passed' : 'failed'}${job.validation.score === undefined ? '' : `, review score ${job.validation.score}`}`);
  if (job.result) {
    lines.push(`Plugin: ${job.result.packageName} is ${job.result.pluginStatus}`, `Installed in: ${job.result.installDir}`);
    if (job.result.missingSettings.length) lines.push(`Needs: ${job.result.missingSettings.join(', ')} (plugin-dynamic configure ${job.result.packageName} NAME=value)`);
  }
  if (job.error) lines.push(`Error ${job.error.code}: ${job.error.message}`);
  return lines.join('\n');
}

program
  .command('create')
  .description('create a plugin from a specification file, or from a sentence with --describe')
  .argument('[spec]', 'path of a JSON specification')
  .option('--describe <text>', 'describe the plugin in a sentence instead')
  .addOption(new Option('--generator <kind>', 'how to write the code').choices(['template', 'model', 'auto']))
  .option('--no-activate', 'do not load the plugin when it succeeds')
  .option('--run-action [name]', 'afterwards, run one of its actions (the first by default) and print the answer')
  .option('--input <json>', 'the message for --run-action (default: sample values for its parameters)')
  .action((specPath: string | undefined, opts: { describe?: string; generator?: 'template' | 'model' | 'auto'; activate: boolean; runAction?: string | boolean; input?: string }) =>
    withBackend(async (b, out) => {
      const createOptions = { activate: opts.activate, ...(opts.generator ? { generator: opts.generator } : {}) };
      let job: JobRecord;
      if (opts.describe) {
        job = (await b.createFromDescription(opts.describe, createOptions)).job;
      } else if (specPath) {
        let raw: unknown;
        try {
          raw = JSON.parse(await readFile(specPath, 'utf8'));
        } catch (error) {
          throw new PluginDynamicError('INVALID_SPEC', `${specPath} is not a readable JSON file: ${(error as Error).message}`);
        }
        job = await b.createFromSpec(raw, createOptions);
      } else {
        throw new PluginDynamicError('INVALID_INPUT', 'Give a specification file, or --describe "what the plugin should do".');
      }
      if (!out.json) process.stderr.write(`Creating ${job.pluginName} (job ${job.id.slice(0, 8)}, ${job.generator} generator)\n`);
      const done = await b.follow(job.id, { json: out.json });
      let answer: { action: string; success: boolean; text: string } | undefined;
      if (opts.runAction !== undefined && done.status === 'succeeded') {
        const spec = done.spec as { actions?: { actionName: string; parameters: { name: string; type: string }[] }[] };
        const action = typeof opts.runAction === 'string' ? spec.actions?.find((a) => a.actionName === opts.runAction) : spec.actions?.[0];
        if (!action) throw new PluginDynamicError('INVALID_INPUT', `The plugin has no action ${String(opts.runAction)}.`);
        const input = opts.input ?? JSON.stringify(Object.fromEntries(action.parameters.map((p) => [p.name, p.type === 'number' ? 1 : `example ${p.name}`])));
        const run = await b.runAction(action.actionName, input);
        const first = run.results[0];
        answer = { action: action.actionName, success: first?.success ?? false, text: first?.text ?? run.replies.map((r) => r.text).join('\n') };
      }
      printResult(out, { job: done, ...(answer ? { answer } : {}) }, () =>
        [summary(done), answer ? `\n${answer.action} ${input(opts.input)}→ ${answer.text}` : ''].join(''),
      );
      if (done.status !== 'succeeded') process.exitCode = 1;
    }),
  );

const input = (given: string | undefined): string => (given ? `${given} ` : '');

program
  .command('jobs')
  .description('list creation jobs')
  .action(() =>
    withBackend(async (b, out) => {
      const jobs = await b.jobs();
      printResult(out, jobs, () => (jobs.length ? jobs.map(jobLine).join('\n') : 'No creation jobs yet.'));
    }),
  );

program
  .command('status')
  .description("a creation job's status, progress, failures and log")
  .argument('<job>', 'job id (or its first 8 characters)')
  .action((id: string) =>
    withBackend(async (b, out) => {
      const job = await b.job(id);
      printResult(out, job, () => jobSummary(job, 10));
    }),
  );

program
  .command('cancel')
  .description('cancel a queued or running creation job')
  .argument('<job>')
  .action((id: string) =>
    withBackend(async (b, out) => {
      const job = await b.cancel(id);
      printResult(out, job, () => `Job ${job.id.slice(0, 8)} is ${job.status}.`);
    }),
  );

program
  .command('doctor')
  .description('check Node, the toolchain, the data folder, the registry and the model')
  .action(() =>
    withBackend(async (b, out) => {
      const o = program.opts<GlobalOptions>();
      const checks: { check: string; ok: boolean; detail: string }[] = [];
      const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
      checks.push({ check: 'node', ok: major > 20 || (major === 20 && minor >= 19), detail: `${process.versions.node} (needs >= 20.19)` });
      const dataDir = resolve(o.dataDir ?? process.env['PLUGIN_DYNAMIC_DATA_DIR'] ?? '.eliza/plugin-dynamic');
      if (b.mode === 'headless') {
        try {
          await mkdir(dataDir, { recursive: true });
          await access(dataDir, constants.W_OK);
          checks.push({ check: 'data folder', ok: true, detail: `${dataDir} is writable` });
        } catch (error) {
          checks.push({ check: 'data folder', ok: false, detail: `${dataDir}: ${(error as Error).message}` });
        }
        try {
          const toolchain = await ensureToolchain(dataDir);
          checks.push({ check: 'toolchain', ok: true, detail: Object.entries(toolchain.versions).map(([k, v]) => `${k} ${v}`).join(', ') });
        } catch (error) {
          checks.push({ check: 'toolchain', ok: false, detail: (error as Error).message });
        }
      }
      const registry = await b.search('', { limit: 1, v1Only: true });
      checks.push({ check: 'registry', ok: registry.origin === 'network' || registry.origin === 'cache', detail: registry.warning ?? `reachable (${registry.origin})` });
      const caps = await b.capabilities();
      checks.push({ check: 'model', ok: true, detail: caps.modelAvailable ? 'a TEXT_LARGE model is registered' : 'none: plugins are written by the template generator' });
      checks.push({ check: 'sandbox', ok: caps.sandbox !== 'none', detail: caps.sandbox });
      printResult(out, checks, () => checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.check.padEnd(12)} ${c.detail}`).join('\n'));
      if (checks.some((c) => !c.ok)) process.exitCode = 1;
    }),
  );

export async function runCli(argv: string[]): Promise<void> {
  await program.parseAsync(argv);
}
