// Password hashing (argon2id) and the minimum strength a password must have.
import { createRequire } from 'node:module';
import { hash, verify } from '@node-rs/argon2';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { AppError } from '../web/app-error.ts';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
/** zxcvbn score (0–4) a password needs: 2 means "somewhat guessable", the lowest acceptable. */
export const PASSWORD_MIN_SCORE = 2;

// OWASP's argon2id recommendation: 19 MiB, 2 iterations, 1 lane. Algorithm 2 is argon2id.
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

let strengthChecker: ZxcvbnFactory | undefined;
/** Built at the first password that is set, not at start-up: loading the dictionaries takes tens of milliseconds. */
function strength(): ZxcvbnFactory {
  if (!strengthChecker) {
    const require = createRequire(import.meta.url);
    const { ZxcvbnFactory } = require('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
    const common = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    strengthChecker = new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
  }
  return strengthChecker;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  // Unknown accounts still pay for one verification, so timing does not tell who is registered.
  const target = passwordHash ?? DUMMY_HASH;
  const ok = await verify(target, password).catch(() => false);
  return ok && passwordHash !== null;
}

/**
 * hash('liuyan-dummy-password', ARGON2), written out rather than computed at every start (40–250 ms, depending on how
 * busy the machine is): verifying against it costs what verifying against a real hash with these parameters costs.
 */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$oqM0AIXWGhcBt7w0qnoZxg$JgA1OLahzqrGJuWJL8pLOeAsnfsbSp/M8GdpqenhDak';

/** Why a password is too weak, as an error for the password field, or null when it is strong enough. */
export function passwordProblem(password: string, personal: string[] = []): AppError | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return new AppError('PASSWORD_TOO_SHORT', { min: PASSWORD_MIN }, 'password');
  if (length > PASSWORD_MAX) return new AppError('PASSWORD_TOO_LONG', { max: PASSWORD_MAX }, 'password');
  if (personal.some((p) => p.length >= 4 && password.includes(p)))
    return new AppError('PASSWORD_PERSONAL', {}, 'password');
  if (strength().check(password, personal).score < PASSWORD_MIN_SCORE)
    return new AppError('PASSWORD_GUESSABLE', {}, 'password');
  return null;
}
