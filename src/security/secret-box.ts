// Encrypts small secrets at rest (TOTP seeds; later private remarks) with AES-256-GCM under a key from LIUYAN_SECRET.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

/** Derived keys by secret and purpose: deriving one (HKDF) costs more than sealing a short text with it. */
const derivedKeys = new Map<string, Buffer>();

/** One key per purpose, derived from the installation secret, so a leak of one use does not expose another. */
export function secretBox(secret: string, purpose: string): SecretBox {
  const id = JSON.stringify([secret, purpose]);
  let key = derivedKeys.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, 'liuyan', purpose, 32));
    // A process knows one secret and a handful of purposes; the bound only guards against a caller that varies them.
    if (derivedKeys.size >= 64) derivedKeys.clear();
    derivedKeys.set(id, key);
  }
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [
        'v1',
        iv.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
        body.toString('base64url'),
      ].join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('无法识别的密文格式');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

/** A stable, non-reversible digest for looking up tokens, session ids and codes without storing them. */
export function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
