import { ModelType, type IAgentRuntime } from '@elizaos/core';
import { codedError } from '../../../errors.js';
import { bounded } from '../../../shared/bounded.js';

/** Model time spent by one job, added up call by call. */
export class ModelMeter {
  elapsedMs = 0;
  calls = 0;
  /** Characters of every prompt sent, for the job record. */
  promptChars = 0;
}

/** One text-model call: a prompt in, the answer's text out. */
export type ModelCall = (prompt: string, signal?: AbortSignal) => Promise<string>;

/**
 * A text-model call bounded on its own: it fails with MODEL_TIMEOUT after `timeoutMs`, and gives up
 * at once when the job's signal aborts (the model plugin's request cannot be cancelled through
 * `runtime.useModel`, so its late answer is ignored). Each call's time is added to the meter.
 */
export function boundedModelCall(
  runtime: IAgentRuntime,
  opts: { timeoutMs: number; meter?: ModelMeter },
): ModelCall {
  return async (prompt, signal) => {
    signal?.throwIfAborted();
    const started = Date.now();
    try {
      // A late answer or failure after the bound is ignored on purpose.
      const answer = await bounded(runtime.useModel(ModelType.TEXT_LARGE, { prompt }), {
        ms: opts.timeoutMs,
        onTimeout: () =>
          codedError('MODEL_TIMEOUT', { seconds: Math.round(opts.timeoutMs / 1000) }),
        signal,
      });
      return String(answer);
    } catch (error) {
      if (signal?.aborted && !(signal.reason instanceof Error)) throw codedError('JOB_CANCELLED', { when: 'during a model call' });
      throw error;
    } finally {
      if (opts.meter) {
        opts.meter.elapsedMs += Date.now() - started;
        opts.meter.calls += 1;
        opts.meter.promptChars += prompt.length;
      }
    }
  };
}
