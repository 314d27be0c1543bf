import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../../../src/shared/keyed-mutex.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('KeyedMutex', () => {
  it('runs operations on one key one after another', async () => {
    const mutex = new KeyedMutex();
    const order: string[] = [];
    let release!: () => void;
    const first = mutex.run('a', async () => {
      order.push('first:start');
      await new Promise<void>((r) => (release = r));
      order.push('first:end');
    });
    const second = mutex.run('a', async () => {
      order.push('second');
    });
    await tick();
    expect(order).toEqual(['first:start']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first:start', 'first:end', 'second']);
  });

  it('lets operations on different keys run together', async () => {
    const mutex = new KeyedMutex();
    let release!: () => void;
    const blocked = mutex.run('a', () => new Promise<void>((r) => (release = r)));
    const other = await mutex.run('b', async () => 'done');
    expect(other).toBe('done');
    release();
    await blocked;
  });

  it('keeps going after a failed operation', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.run('a', async () => 2)).resolves.toBe(2);
  });
});
