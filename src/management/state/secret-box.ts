import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { codedError } from '../../errors.js';
import { writeFileAtomic } from '../../shared/atomic-file.js';

const PREFIX = 'pd1:';

/**
 * Encrypts setting values at rest with AES-256-GCM. The key never sits with the data it protects:
 * the values live in the agent's database, the key in a setting or in an owner-only key file.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** From PLUGIN_DYNAMIC_SECRET_KEY when given, else a key file created on first use (mode 0600). */
  static async open(opts: { secretKey: string | undefined; keyFile: string }): Promise<SecretBox> {
    if (opts.secretKey) return new SecretBox(createHash('sha256').update(opts.secretKey).digest());
    return new SecretBox(await readOrCreateKeyFile(opts.keyFile));
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  decrypt(sealed: string): string {
    if (!sealed.startsWith(PREFIX)) {
      throw codedError('SECRET_KEY_UNAVAILABLE', { subject: 'A stored secret', problem: 'is not in a known format.' });
    }
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch (error) {
      throw codedError(
        'SECRET_KEY_UNAVAILABLE',
        { subject: 'A stored secret', problem: 'could not be decrypted with the current key (was PLUGIN_DYNAMIC_SECRET_KEY or the key file changed?).' },
        { cause: error },
      );
    }
  }
}

export function defaultKeyFile(dataDir: string): string {
  return join(dataDir, 'keys', 'secret.key');
}

async function readOrCreateKeyFile(path: string): Promise<Buffer> {
  try {
    const info = await stat(path);
    if ((info.mode & 0o077) !== 0) {
      throw codedError('SECRET_KEY_UNAVAILABLE', { subject: `The key file ${path}`, problem: `is readable by other users; run: chmod 600 ${path}` });
    }
    const key = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
    if (key.length !== 32) {
      throw codedError('SECRET_KEY_UNAVAILABLE', { subject: `The key file ${path}`, problem: 'does not hold a 32-byte key.' });
    }
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  const dir = join(path, '..');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  await writeFileAtomic(path, key.toString('base64'), { mode: 0o600 });
  return key;
}
