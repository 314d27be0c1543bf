import password from '@inquirer/password';
import { collectValues } from '../configure-values.js';
import { configuredText } from '../format.js';
import { printResult } from '../output.js';
import type { CommandGroup } from './command-kit.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** configure: store settings of an installed plugin without ever printing a value. */
export const configureCommands: CommandGroup = (program, run) => {
  program
    .command('configure')
    .description('store settings of an installed plugin (values are encrypted at rest and never printed)')
    .argument('<plugin>')
    .argument('[NAME=value...]', 'plain values; for secrets prefer --secret, --stdin or --from-file (kept out of shell history)')
    .option('--secret <NAME>', 'ask for the value on the terminal without echo (repeatable)', collect, [])
    .option('--from-file <NAME=path>', "read the value from a file (repeatable)", collect, [])
    .option('--stdin <NAME>', 'read the value from standard input, e.g. `pass show key | plugin-dynamic configure ...`')
    .action((plugin: string, pairs: string[], opts: { secret: string[]; fromFile: string[]; stdin?: string }) =>
      run(async (ctx) => {
        // Values are gathered before the runtime starts: a prompt should not wait on a database.
        const values = await collectValues(
          { pairs, fromFile: opts.fromFile, stdin: opts.stdin, secret: opts.secret },
          {
            readStdin,
            stdinIsTty: process.stdin.isTTY === true,
            // The prompt goes to stderr so --json output stays clean.
            prompt: (name) => password({ message: `${name}:`, mask: true }, { output: process.stderr, signal: ctx.signal }),
          },
        );
        const view = await (await ctx.backend()).configure({ plugin, settings: values });
        printResult(ctx.out, view, () => configuredText(Object.keys(values), view));
      }),
    );
};
