import type { IAgentRuntime } from '@elizaos/core';
import { describe, expect, it } from 'vitest';
import { boundedModelCall, ModelMeter } from '../../../src/creation/generators/model/model-call.js';
import { askModelForParams } from '../../../src/shared/eliza/ask-model-params.js';

/** Only the model edge of a runtime: the one part these functions use. */
function modelOnly(answer: (prompt: string) => Promise<string>): IAgentRuntime {
  const logger = { warn: () => undefined };
  return {
    logger,
    getModel: () => async () => '',
    useModel: (_type: string, params: { prompt: string }) => answer(params.prompt),
  } as unknown as IAgentRuntime;
}

describe('asking the model for parameters', () => {
  const wanted = {
    source: { type: 'string', description: 'what to install' },
    activate: { type: 'boolean', description: 'load it' },
  } as const;

  it('keeps only values of the declared type, and never a null', async () => {
    const runtime = modelOnly(async () => '```json\n{"source": "plugin-weather", "activate": "yes", "extra": 1}\n```');
    expect(await askModelForParams(runtime, 'INSTALL_PLUGIN', wanted, 'get the weather one')).toEqual({ source: 'plugin-weather' });
    const none = modelOnly(async () => '{"source": null, "activate": null}');
    expect(await askModelForParams(none, 'INSTALL_PLUGIN', wanted, 'install it')).toEqual({});
  });

  it('gives nothing when the model fails or answers prose', async () => {
    expect(await askModelForParams(modelOnly(async () => 'I think weather'), 'X', wanted, 'hm')).toEqual({});
    expect(await askModelForParams(modelOnly(() => Promise.reject(new Error('down'))), 'X', wanted, 'hm')).toEqual({});
  });
});

describe('a bounded model call', () => {
  it('fails with MODEL_TIMEOUT when the model does not answer in time, and meters the call', async () => {
    const meter = new ModelMeter();
    const call = boundedModelCall(modelOnly(() => new Promise(() => undefined)), { timeoutMs: 50, meter });
    await expect(call('hello')).rejects.toMatchObject({ code: 'MODEL_TIMEOUT' });
    expect(meter.calls).toBe(1);
    expect(meter.promptChars).toBe(5);
  });

  it('gives up at once when the job is cancelled', async () => {
    const controller = new AbortController();
    const call = boundedModelCall(modelOnly(() => new Promise(() => undefined)), { timeoutMs: 60_000 });
    const pending = call('hello', controller.signal);
    controller.abort(Object.assign(new Error('cancelled'), { code: 'JOB_CANCELLED' }));
    await expect(pending).rejects.toMatchObject({ code: 'JOB_CANCELLED' });
  });
});
