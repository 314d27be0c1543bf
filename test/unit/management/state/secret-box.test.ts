import { mkdtemp, readFile, stat, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../../../src/management/state/secret-box.js';

describe('SecretBox', () => {
  it('round-trips a value and never stores it in clear', async () => {
    const box = await SecretBox.open({ secretKey: 'a-long-enough-secret-key', keyFile: '/nonexistent' });
    const sealed = box.encrypt('sk-live-123');
    expect(sealed).not.toContain('sk-live-123');
    expect(box.decrypt(sealed)).toBe('sk-live-123');
  });

  it('creates an owner-only key file on first use and reads the same key back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pd-key-'));
    const keyFile = join(dir, 'keys', 'secret.key');
    const first = await SecretBox.open({ secretKey: undefined, keyFile });
    const sealed = first.encrypt('value');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const second = await SecretBox.open({ secretKey: undefined, keyFile });
    expect(second.decrypt(sealed)).toBe('value');
    expect(await readFile(keyFile, 'utf8')).not.toContain('value');
  });

  it('refuses a key file that other users can read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pd-key-'));
    const keyFile = join(dir, 'secret.key');
    await SecretBox.open({ secretKey: undefined, keyFile });
    await chmod(keyFile, 0o644);
    await expect(SecretBox.open({ secretKey: undefined, keyFile })).rejects.toMatchObject({
      code: 'SECRET_KEY_UNAVAILABLE',
    });
  });

  it('says the key changed when a value cannot be decrypted', async () => {
    const a = await SecretBox.open({ secretKey: 'first-key-0123456789', keyFile: '/x' });
    const b = await SecretBox.open({ secretKey: 'second-key-0123456789', keyFile: '/x' });
    expect(() => b.decrypt(a.encrypt('v'))).toThrow(/key/);
  });
});
