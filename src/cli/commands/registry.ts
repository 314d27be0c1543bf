import { codedError } from '../../errors.js';
import { entryText, searchText } from '../format.js';
import { printResult } from '../output.js';
import { intBetween, type CommandGroup } from './command-kit.js';

/** search, info: what the plugin registry knows. */
export const registryCommands: CommandGroup = (program, run) => {
  program
    .command('search')
    .description('search the plugin registry (ElizaOS 1.x plugins unless --all)')
    .argument('[words...]', 'what to look for; nothing lists the best known plugins')
    .option('--limit <n>', 'how many results (1-50)', intBetween(1, 50), 10)
    .option('--all', 'include plugins that do not support ElizaOS 1.x')
    .option('--fleet', "search the plugins the fleet's agents created (stored in PostgreSQL) instead")
    .option('--postgres-url <url>', 'the fleet database for --fleet (default $POSTGRES_URL)')
    .action((words: string[], opts: { limit: number; all?: boolean; fleet?: boolean; postgresUrl?: string }) =>
      run(async (ctx) => {
        if (opts.fleet) {
          const url = opts.postgresUrl ?? process.env['POSTGRES_URL'];
          if (!url) throw codedError('INVALID_INPUT', { input: '--fleet', problem: 'needs the fleet database: pass --postgres-url or set POSTGRES_URL.' });
          const q = words.join(' ');
          // The fleet's database client is loaded by this search only.
          const { fleetSearchText, searchFleetDatabase } = await import('../../fleet/fleet-search.js');
          const found = await searchFleetDatabase(url, q, opts.limit);
          printResult(ctx.out, found, () => fleetSearchText(q, found));
          return;
        }
        const b = await ctx.backend();
        const answer = await b.search({ q: words.join(' '), limit: opts.limit, ...(opts.all === true ? { all: 'true' } : {}) });
        printResult(ctx.out, answer, () => searchText(answer));
      }),
    );

  program
    .command('info')
    .description('what the registry knows about one plugin')
    .argument('<plugin>', 'a name as you would say it: "discord", "plugin-discord", "@elizaos/plugin-discord"')
    .action((name: string) =>
      run(async (ctx) => {
        const entry = await (await ctx.backend()).info({ name });
        printResult(ctx.out, entry, () => entryText(entry));
      }),
    );
};
