import type { Backend } from '../backend.js';
import type { CliContext } from '../context.js';
import {
  agentRuntimeCheck,
  dataDirCheck,
  failedCheck,
  modelCheck,
  nodeCheck,
  registryCheck,
  remoteToolchainCheck,
  sandboxCheck,
  toolchainCheck,
  type DoctorCheck,
} from '../doctor-checks.js';
import { doctorText } from '../format.js';
import { printResult } from '../output.js';
import type { CommandGroup } from './command-kit.js';

/**
 * Every check, in the order a person fixes things. The local ones run before the runtime starts,
 * so a broken data folder is reported as a line, not as the runtime's crash.
 */
async function runChecks(ctx: CliContext): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [nodeCheck()];
  const headless = ctx.mode === 'headless';
  if (headless) {
    const dataDir = await dataDirCheck(ctx.dataDir);
    checks.push(dataDir);
    checks.push(dataDir.status === 'ok' ? await toolchainCheck(ctx.dataDir, ctx.signal) : { check: 'toolchain', status: 'skip', detail: 'needs a writable data folder' });
  } else {
    checks.push({ check: 'data folder', status: 'skip', detail: "the agent's own, on its machine" });
  }
  let backend: Backend;
  try {
    backend = await ctx.backend();
    const caps = await backend.capabilities();
    checks.push({
      check: 'runtime',
      status: 'ok',
      detail: headless ? `headless runtime on PGLite in ${ctx.dataDir}` : `the agent answers at ${ctx.options.agentUrl ?? ''}`,
    });
    if (!headless) checks.push(remoteToolchainCheck(caps));
    checks.push(agentRuntimeCheck(caps.runtime));
    checks.push(await registryCheck(backend), modelCheck(caps), sandboxCheck(caps, backend.mode));
  } catch (error) {
    checks.push(failedCheck('runtime', error));
    for (const check of ['agent runtime', 'registry', 'model', 'sandbox'] as const) checks.push({ check, status: 'skip', detail: 'needs the runtime' });
  }
  // One order for both modes (the agent's toolchain line comes from its capabilities).
  const order: DoctorCheck['check'][] = ['node', 'data folder', 'toolchain', 'runtime', 'agent runtime', 'registry', 'model', 'sandbox'];
  return order.map((name) => checks.find((c) => c.check === name) ?? { check: name, status: 'skip', detail: 'needs the runtime' });
}

/** doctor: Node, data folder, toolchain, runtime, agent runtime, registry, model, sandbox: each ok/warn/FAIL with what to do. */
export const doctorCommands: CommandGroup = (program, run) => {
  program
    .command('doctor')
    .description('check Node, the data folder, the toolchain, the runtime (and the Node its children run on), the registry, the model and the sandbox')
    .action(() =>
      run(async (ctx) => {
        const checks = await runChecks(ctx);
        printResult(ctx.out, checks, () => doctorText(checks));
        if (checks.some((c) => c.status === 'fail')) process.exitCode = 1;
      }),
    );
};
