import { ModelType, type IAgentRuntime } from '@elizaos/core';
import { PluginDynamicError } from '../../../errors.js';

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
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      const stop = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new PluginDynamicError(
                'MODEL_TIMEOUT',
                `The model did not answer within ${Math.round(opts.timeoutMs / 1000)} s (PLUGIN_DYNAMIC_MODEL_CALL_TIMEOUT_MS).`,
              ),
            ),
          opts.timeoutMs,
        );
        onAbort = () => reject(signal?.reason instanceof Error ? signal.reason : new PluginDynamicError('JOB_CANCELLED', 'The job was cancelled.'));
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      const answer = runtime.useModel(ModelType.TEXT_LARGE, { prompt });
      // A late answer or failure after the bound is ignored on purpose.
      answer.catch(() => undefined);
      return String(await Promise.race([answer, stop]));
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      if (opts.meter) {
        opts.meter.elapsedMs += Date.now() - started;
        opts.meter.calls += 1;
        opts.meter.promptChars += prompt.length;
      }
    }
  };
}
