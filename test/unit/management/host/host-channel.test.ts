import { Duplex, PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHANNEL_LIMITS, HostChannel } from '../../../../src/management/host/host-channel.js';

/** The agent's end of a channel: what the host writes arrives on `fromHost`; what the agent writes lands in `toHost`. */
function pipePair(highWaterMark = 1024): { agentEnd: Duplex; fromHost: PassThrough; toHost: PassThrough } {
  const fromHost = new PassThrough();
  const toHost = new PassThrough({ highWaterMark });
  const agentEnd = Duplex.from({ readable: fromHost, writable: toHost });
  return { agentEnd, fromHost, toHost };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the agent end of a host channel', () => {
  it.each([
    ['null', 'a frame that is not an object (null)'],
    ['42', 'a frame that is not an object (number)'],
    ['not json', 'a frame that is not JSON'],
    ['{"t":"q","i":"a","m":"toString","a":[]}', 'a request frame the agent does not accept'],
    ['{"t":"q","i":"a","m":"forward","a":"getCache"}', 'a request frame the agent does not accept'],
    ['{"t":"s","i":"never-asked","r":1}', 'a response frame to a call the agent never made'],
    ['{"t":"x"}', 'a frame that is neither a request nor a response'],
  ])('refuses %s before birpc sees it', async (line, reason) => {
    const { agentEnd, fromHost } = pipePair();
    const violations: string[] = [];
    const delivered: unknown[] = [];
    const channel = new HostChannel(agentEnd, DEFAULT_CHANNEL_LIMITS, (r) => violations.push(r));
    channel.on((frame) => delivered.push(frame));
    fromHost.write(`${line}\n`);
    await tick();
    expect(violations).toHaveLength(1);
    expect(violations[0]).toContain(reason);
    expect(delivered).toEqual([]);
  });

  it('passes a response to a call the agent made', async () => {
    const { agentEnd, fromHost } = pipePair();
    const delivered: unknown[] = [];
    const channel = new HostChannel(agentEnd, DEFAULT_CHANNEL_LIMITS, () => undefined);
    channel.on((frame) => delivered.push(frame));
    channel.post(channel.serialize({ t: 'q', i: 'call1', m: 'ping', a: [] }));
    fromHost.write('{"t":"s","i":"call1","r":"pong"}\n');
    await tick();
    expect(delivered).toEqual([{ t: 's', i: 'call1', r: 'pong' }]);
  });

  it('starts at most maxInFlight requests at once', async () => {
    const { agentEnd, fromHost } = pipePair();
    const channel = new HostChannel(agentEnd, { ...DEFAULT_CHANNEL_LIMITS, maxInFlight: 3, burst: 1_000, callsPerSecond: 1_000 }, () => undefined);
    const release: (() => void)[] = [];
    let started = 0;
    channel.on(() => {
      started++;
      return new Promise<void>((resolve) => release.push(resolve));
    });
    const lines = Array.from({ length: 10 }, (_, i) => JSON.stringify({ t: 'q', i: `r${i}`, m: 'forward', a: ['getCache', ['k']] })).join('\n');
    fromHost.write(`${lines}\n`);
    await tick();
    expect(channel.stats().requests).toBe(10);
    expect(started).toBe(3);
    release.shift()?.();
    await tick();
    expect(started).toBe(4);
    expect(channel.stats().maxInFlight).toBe(3);
  });

  it('replaces an answer larger than the bound with an error', () => {
    const { agentEnd } = pipePair();
    const channel = new HostChannel(agentEnd, { ...DEFAULT_CHANNEL_LIMITS, maxReplyBytes: 1_000 }, () => undefined);
    const line = channel.serialize({ t: 's', i: 'r1', r: 'x'.repeat(5_000) });
    expect(line.length).toBeLessThan(1_000);
    expect(JSON.parse(line)).toMatchObject({ t: 's', i: 'r1', e: { code: 'HOST_LIMIT_REACHED' } });
    expect(channel.stats().oversizeReplies).toBe(1);
  });

  it('starts no request while its unsent answers are over the bound, and reads on after they drain', async () => {
    const { agentEnd, fromHost, toHost } = pipePair();
    const channel = new HostChannel(agentEnd, { ...DEFAULT_CHANNEL_LIMITS, maxUnsentBytes: 30_000, burst: 1_000, callsPerSecond: 1_000 }, () => undefined);
    let started = 0;
    channel.on((frame) => {
      started++;
      channel.post(channel.serialize({ t: 's', i: (frame as { i: string }).i, r: 'y'.repeat(20_000) }));
    });
    const lines = Array.from({ length: 20 }, (_, i) => JSON.stringify({ t: 'q', i: `r${i}`, m: 'forward', a: ['getCache', ['k']] })).join('\n');
    fromHost.write(`${lines}\n`);
    await tick();
    // Nobody reads toHost: once two answers (40 kB) wait, past the 30 kB bound, nothing more starts.
    expect(started).toBe(2);
    expect(channel.stats().maxUnsentBytes).toBeLessThan(60_000);
    toHost.resume();
    for (let i = 0; i < 20 && started < 20; i++) await tick();
    expect(started).toBe(20);
  });
});
