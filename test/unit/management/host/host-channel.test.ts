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
/** Turns enough for the channel's per-turn bounds to let everything through that the other bounds allow. */
async function settle(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i++) await tick();
}
/** Turns until `done` holds (at most `turns`). */
async function until(done: () => boolean, turns = 5_000): Promise<void> {
  for (let i = 0; i < turns && !done(); i++) await tick();
}
const requestLines = (n: number): string => Array.from({ length: n }, (_, i) => JSON.stringify({ t: 'q', i: `r${i}`, m: 'forward', a: ['getCache', ['k']] })).join('\n');

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
    await settle();
    expect(channel.stats().requests).toBe(10);
    expect(started).toBe(3);
    release.shift()?.();
    await settle();
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
    await settle();
    // Nobody reads toHost: once two answers (40 kB) wait, past the 30 kB bound, nothing more starts.
    expect(started).toBe(2);
    expect(channel.stats().maxUnsentBytes).toBeLessThan(60_000);
    toHost.resume();
    for (let i = 0; i < 200 && started < 20; i++) await tick();
    expect(started).toBe(20);
  });

  it('checks a large read over several turns of the event loop, in the order read, and reads on after', async () => {
    const { agentEnd, fromHost } = pipePair();
    const channel = new HostChannel(agentEnd, { ...DEFAULT_CHANNEL_LIMITS, maxInFlight: 2_000, burst: 2_000, callsPerSecond: 2_000 }, () => undefined);
    const delivered: string[] = [];
    channel.on((frame) => {
      delivered.push((frame as { i: string }).i);
    });
    // One write, so one read of the stream: a thousand frames at once.
    fromHost.write(`${requestLines(1_000)}\n`);
    await tick();
    const afterOneTurn = channel.stats().requests;
    expect(afterOneTurn).toBeGreaterThan(0);
    expect(afterOneTurn).toBeLessThanOrEqual(256);
    await until(() => delivered.length === 1_000);
    expect(channel.stats().requests).toBe(1_000);
    expect(delivered).toEqual(Array.from({ length: 1_000 }, (_, i) => `r${i}`));
    // Reading resumed once the frames that waited were checked.
    fromHost.write(`${JSON.stringify({ t: 'q', i: 'later', m: 'forward', a: ['getCache', ['k']] })}\n`);
    await settle();
    expect(delivered.at(-1)).toBe('later');
  });

  it('starts a few requests per turn even when each one finishes at once', async () => {
    const { agentEnd, fromHost } = pipePair();
    const channel = new HostChannel(agentEnd, { ...DEFAULT_CHANNEL_LIMITS, maxInFlight: 40, burst: 1_000, callsPerSecond: 1_000 }, () => undefined);
    let started = 0;
    // Work that ends within the turn it started in, as a PGLite query does.
    channel.on(() => {
      started++;
    });
    fromHost.write(`${requestLines(40)}\n`);
    await tick();
    // At most two turns have passed (the read's and the one that ended it), four starts each.
    expect(started).toBeGreaterThan(0);
    expect(started).toBeLessThanOrEqual(8);
    await until(() => started === 40);
    expect(started).toBe(40);
  });

  it('a bad frame that waited for its turn still ends the channel, and nothing after it is delivered', async () => {
    const { agentEnd, fromHost } = pipePair();
    const violations: string[] = [];
    const delivered: string[] = [];
    const channel = new HostChannel(agentEnd, { ...DEFAULT_CHANNEL_LIMITS, maxInFlight: 2_000, burst: 2_000, callsPerSecond: 2_000 }, (r) => violations.push(r));
    channel.on((frame) => {
      delivered.push((frame as { i: string }).i);
    });
    fromHost.write(`${requestLines(600)}\nnull\n${requestLines(5).replace(/"r(\d)"/g, '"after$1"')}\n`);
    await settle(200);
    expect(violations).toEqual(['sent a frame that is not an object (null)']);
    // The requests before it that had started were delivered; the queue ended with the channel.
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered.every((id) => /^r\d+$/.test(id))).toBe(true);
  });
});
