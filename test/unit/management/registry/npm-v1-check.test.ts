import { describe, expect, it } from 'vitest';
import { judgeV1Releases, NpmV1Verifier } from '../../../../src/management/registry/index.js';

describe('judging what npm says about a 1.x line', () => {
  it('refuses a name npm has no 1.x release of', () => {
    expect(judgeV1Releases('@elizaos/plugin-tts', 'missing')).toMatchObject({ status: 'refused', reason: expect.stringContaining('no ElizaOS 1.x release') });
  });

  it('refuses a 1.x release that depends on core 0.x', () => {
    const answer = { version: '1.0.0', dependencies: { '@elizaos/core': '^0.25.9' } };
    expect(judgeV1Releases('plugin-old', answer)).toMatchObject({ status: 'refused', reason: expect.stringContaining('@elizaos/core ^0.25.9') });
  });

  it('takes the newest 1.x release whose core is 1.x, skipping one built on 0.x', () => {
    const answer = [
      { version: '1.0.0', dependencies: { '@elizaos/core': '^1.0.0' } },
      { version: '1.1.0', dependencies: { '@elizaos/core': '0.25.9' } },
      { version: '1.0.5', peerDependencies: { '@elizaos/core': '1.x' } },
    ];
    expect(judgeV1Releases('plugin-mixed', answer)).toEqual({ status: 'verified', version: '1.0.5' });
  });

  it('does not hold a range npm cannot read (workspace:*) against a release', () => {
    const answer = { version: '1.0.0', dependencies: { '@elizaos/core': 'workspace:*' } };
    expect(judgeV1Releases('@elizaos/plugin-edge-tts', answer)).toEqual({ status: 'verified', version: '1.0.0' });
  });

  it('calls an answer it cannot read unverified', () => {
    expect(judgeV1Releases('x', { nope: true })).toMatchObject({ status: 'unverified' });
  });
});

describe('NpmV1Verifier', () => {
  it('asks npm once per name within the TTL', async () => {
    const asked: string[] = [];
    const verifier = new NpmV1Verifier({
      timeoutMs: 5_000,
      view: (name) => {
        asked.push(name);
        return Promise.resolve(name === 'a' ? { version: '1.2.0' } : 'missing');
      },
    });
    const first = await verifier.verify(['a', 'b']);
    const second = await verifier.verify(['a', 'b']);
    expect(Object.fromEntries(first)).toEqual(Object.fromEntries(second));
    expect(first.get('a')).toEqual({ status: 'verified', version: '1.2.0' });
    expect(first.get('b')?.status).toBe('refused');
    expect(asked.sort()).toEqual(['a', 'b']);
  });

  it('calls names npm could not answer in time unverified, and asks again later', async () => {
    let calls = 0;
    const verifier = new NpmV1Verifier({
      timeoutMs: 50,
      concurrency: 1,
      view: (_name, signal) => {
        calls++;
        return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('timed out'))));
      },
    });
    const checks = await verifier.verify(['slow', 'later']);
    expect(checks.get('slow')?.status).toBe('unverified');
    expect(checks.get('later')).toEqual({ status: 'unverified', reason: 'npm was not asked in time' });
    expect(verifier.cached('slow')).toBeUndefined();
    await verifier.verify(['slow']);
    expect(calls).toBe(2);
  });
});
