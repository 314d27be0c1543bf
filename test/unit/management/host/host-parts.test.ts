import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decideIsolation } from '../../../../src/management/host/isolation.js';
import { readFrames, toJsonSafe } from '../../../../src/management/host/json-frames.js';
import { RestartBackoff } from '../../../../src/management/host/restart-backoff.js';
// @ts-expect-error The worker is plain JavaScript that runs inside the sandbox.
import { createNarrowRuntime } from '../../../../worker/plugin-host-runtime.mjs';

describe('which plugins run isolated', () => {
  it('isolates generated plugins and user sources by default, keeps registry plugins in-process', () => {
    expect(decideIsolation('auto', 'generated', undefined)).toEqual({ mode: 'isolated', decidedBy: 'default' });
    expect(decideIsolation('auto', 'user-source', undefined)).toEqual({ mode: 'isolated', decidedBy: 'default' });
    expect(decideIsolation('auto', 'registry', undefined)).toEqual({ mode: 'in-process', decidedBy: 'default' });
  });

  it('lets the setting move every default, and a per-plugin override win in both directions', () => {
    expect(decideIsolation('all', 'registry', undefined).mode).toBe('isolated');
    expect(decideIsolation('none', 'generated', undefined).mode).toBe('in-process');
    expect(decideIsolation('auto', 'registry', 'isolated')).toEqual({ mode: 'isolated', decidedBy: 'override' });
    expect(decideIsolation('all', 'generated', 'in-process')).toEqual({ mode: 'in-process', decidedBy: 'override' });
  });
});

describe('restart backoff', () => {
  it('doubles the delay each time and stops at the limit', () => {
    const backoff = new RestartBackoff({ maxRestarts: 3, baseDelayMs: 100 });
    expect([backoff.next('p', 0), backoff.next('p', 1), backoff.next('p', 2), backoff.next('p', 3)]).toEqual([100, 200, 400, undefined]);
    backoff.reset('p');
    expect(backoff.next('p', 4)).toBe(100);
  });

  it('forgets old crashes once a host has stayed up', () => {
    const backoff = new RestartBackoff({ maxRestarts: 1, baseDelayMs: 100, healthyAfterMs: 1_000 });
    expect(backoff.next('p', 0)).toBe(100);
    expect(backoff.next('p', 500)).toBeUndefined();
    expect(backoff.next('p', 10_000)).toBe(100);
  });
});

describe('the channel framing', () => {
  it('drops functions and cycles, keeps errors as data and never lets the runtime cross', () => {
    const cyclic: Record<string, unknown> = { a: 1, fn: () => 1, runtime: { secret: 'x' }, error: new Error('boom'), big: 10n };
    cyclic['self'] = cyclic;
    expect(toJsonSafe(cyclic)).toEqual({ a: 1, error: { name: 'Error', message: 'boom' }, big: '10', self: null });
  });

  it('parses one message per line and stops at an oversized line', () => {
    const stream = new PassThrough();
    const frames: unknown[] = [];
    let oversize = 0;
    readFrames(stream, 32, (f) => frames.push(f), () => oversize++);
    stream.write('{"a":1}\n{"b"');
    stream.write(':2}\nnot json\n');
    stream.write(`"${'x'.repeat(64)}"\n{"c":3}\n`);
    expect(frames).toEqual([{ a: 1 }, { b: 2 }]);
    expect(oversize).toBe(1);
  });
});

describe('the narrow runtime', () => {
  const make = (settings: Record<string, string>) =>
    createNarrowRuntime({
      agentId: 'agent',
      character: { name: 'A', settings: {}, secrets: {} },
      settings: () => settings,
      forward: async (method: string, args: unknown[]) => ({ method, args }),
      log: () => undefined,
      services: new Map([['own', { hi: () => 'hi' }]]),
      registerTaskWorker: async () => undefined,
      getTaskWorker: () => undefined,
    }) as Record<string, any>;

  it('gives only the declared settings it was handed', () => {
    const runtime = make({ MINE: 'v' });
    expect(runtime['getSetting']('MINE')).toBe('v');
    expect(runtime['getSetting']('OPENAI_API_KEY')).toBeNull();
  });

  it('forwards the calls it offers and names any method it lacks', async () => {
    const runtime = make({});
    expect(await runtime['getCache']('k')).toEqual({ method: 'getCache', args: ['k'] });
    expect(runtime['getService']('own').hi()).toBe('hi');
    expect(() => void runtime['getService']('plugin_management')).toThrow(/getService\('plugin_management'\)/);
    expect(() => void runtime['registerAction']({})).toThrow(expect.objectContaining({ code: 'HOST_UNSUPPORTED_METHOD', message: expect.stringContaining('runtime.registerAction') }));
    expect(() => {
      runtime['agentId'] = 'other';
    }).toThrow(/assignment/);
    // Not a thenable: awaiting the runtime must not call a trap.
    expect(runtime['then']).toBeUndefined();
  });
});
