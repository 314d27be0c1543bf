import { z } from 'zod';
import { codedError } from '../../errors.js';
import { intBetween, type CommandGroup } from './command-kit.js';

const PostgresUrl = z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://');

/** worker: runs creation jobs from the fleet's pg-boss queue until Ctrl-C or SIGTERM. */
export const workerCommands: CommandGroup = (program, run) => {
  program
    .command('worker')
    .description("run creation jobs from the fleet's queue in PostgreSQL (needs the toolchain and the sandbox)")
    .requiredOption('--postgres-url <url>', 'the fleet database, as the agents\' POSTGRES_URL')
    .option('--concurrency <n>', 'jobs this worker runs at once (1-32)', intBetween(1, 32), 1)
    .option('--server-slots <n>', 'builds at once on this machine, all agents and workers together (default $PLUGIN_DYNAMIC_FLEET_SERVER_SLOTS or 2)', intBetween(1, 64))
    .action((opts: { postgresUrl: string; concurrency: number; serverSlots?: number }) =>
      run(async (ctx) => {
        const url = PostgresUrl.safeParse(opts.postgresUrl);
        if (!url.success) throw codedError('INVALID_INPUT', { input: '--postgres-url', problem: `${url.error.issues[0]?.message ?? 'is invalid'}.` });
        const stop = new AbortController();
        const onTerm = (): void => stop.abort();
        process.once('SIGTERM', onTerm);
        ctx.signal.addEventListener('abort', onTerm, { once: true });
        try {
          // The fleet (pg-boss, pg) is loaded by this command only: every other command starts without it.
          const { runWorkerProcess } = await import('../../fleet/worker-process.js');
          await runWorkerProcess({
            postgresUrl: url.data,
            dataDir: ctx.dataDir,
            concurrency: opts.concurrency,
            ...(opts.serverSlots ? { serverSlots: opts.serverSlots } : {}),
            signal: stop.signal,
            say: (line) => process.stderr.write(`${line}\n`),
          });
        } finally {
          process.off('SIGTERM', onTerm);
        }
      }),
    );
};
