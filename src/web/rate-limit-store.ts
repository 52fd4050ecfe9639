// Where rate-limit counters live: in Redis, shared by every process, and in this process whenever Redis is away.
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { Redis } from 'ioredis';

/** A counter as @fastify/rate-limit's stores report it: hits in the window and milliseconds left. */
interface Counter {
  current: number;
  ttl: number;
}
type Done = (err: Error | null, result: Counter | null) => void;
/** The store interface @fastify/rate-limit calls (its own RedisStore and LocalStore implement it). */
interface Store {
  incr(key: string, done: Done, timeWindow: number, max: number): void;
  read(key: string, done: Done, timeWindow: number, max: number): void;
  child(routeOptions: object): Store;
}
type StoreClass = new (continueExceeding: boolean, exponentialBackoff: boolean, ...rest: unknown[]) => Store;

const require = createRequire(import.meta.url);
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as StoreClass;
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as StoreClass;

export interface RedisLog {
  warn(obj: object, msg?: string): void;
  info(msg: string): void;
}

export interface RedisSettings {
  url: string;
  /** How long one command may take (REDIS_TIMEOUT_MS). */
  timeoutMs: number;
}

/**
 * Decides, request by request, whether Redis is worth asking. It works until a command fails or times out; then it
 * is skipped for `retryMs`, after which one request at a time tries it again. Going away and coming back are logged
 * once each, not once a request.
 */
export class RedisCircuit {
  private down = false;
  private skipUntil = 0;
  private probing = false;

  constructor(
    private readonly retryMs: number,
    private readonly log: RedisLog,
  ) {}

  /** Whether this request may use Redis now; a `true` while Redis is down makes this request the probe. */
  tryRedis(): boolean {
    if (!this.down) return true;
    if (this.probing || Date.now() < this.skipUntil) return false;
    this.probing = true;
    return true;
  }

  succeeded(): void {
    this.probing = false;
    if (!this.down) return;
    this.down = false;
    this.log.info('Redis 已恢复，限流重新由所有进程共享计数');
  }

  failed(err: unknown): void {
    this.probing = false;
    this.skipUntil = Date.now() + this.retryMs;
    if (this.down) return;
    this.down = true;
    this.log.warn(
      { err, retryInSeconds: this.retryMs / 1000 },
      `Redis 不可用，限流暂时改为每个进程分别计数（${this.retryMs / 1000} 秒后再试）`,
    );
  }
}

/**
 * The Redis client for shared limits, set to fail fast: a command that takes longer than the timeout fails, nothing
 * waits in a queue for a connection to come back, a failed command is not retried, and the connection is remade in the
 * background with growing pauses. Starting waits up to a second for the connection, so the first requests share
 * their counts; without Redis the app starts anyway.
 */
export async function connectRedis(settings: RedisSettings, circuit: RedisCircuit): Promise<Redis> {
  const redis = new Redis(settings.url, {
    commandTimeout: settings.timeoutMs,
    // A Redis that stopped answering (hung, or its host gone) is dropped and dialled again instead of waited on.
    socketTimeout: Math.max(1000, settings.timeoutMs * 3),
    connectTimeout: 1000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(200 * 2 ** Math.min(times, 5), 5000),
  });
  redis.on('error', (err: Error) => circuit.failed(err));
  redis.on('ready', () => circuit.succeeded());
  await Promise.race([once(redis, 'ready').catch(() => {}), sleep(1000, undefined, { ref: false })]);
  return redis;
}

/**
 * A store class for @fastify/rate-limit's `store` option: the counters in Redis (under `nameSpace`, as the plugin's
 * own Redis store keeps them) while the circuit allows, and in a per-process store otherwise. A failed Redis command
 * costs the request at most the command timeout, and is then answered from the process's own count.
 */
export function fallbackStore(redis: Redis, circuit: RedisCircuit, nameSpace: string): FastifyRateLimitStoreCtor {
  class FallbackStore implements Store {
    constructor(
      params: { continueExceeding: boolean; exponentialBackoff: boolean; cache?: number },
      private readonly shared: Store = new RedisStore(
        params.continueExceeding,
        params.exponentialBackoff,
        redis,
        nameSpace,
      ),
      private readonly local: Store = new LocalStore(params.continueExceeding, params.exponentialBackoff, params.cache),
    ) {}

    incr(key: string, done: Done, timeWindow: number, max: number): void {
      this.use('incr', key, done, timeWindow, max);
    }

    read(key: string, done: Done, timeWindow: number, max: number): void {
      this.use('read', key, done, timeWindow, max);
    }

    child(routeOptions: { continueExceeding: boolean; exponentialBackoff: boolean }): Store {
      return new FallbackStore(routeOptions, this.shared.child(routeOptions), this.local.child(routeOptions));
    }

    private use(method: 'incr' | 'read', key: string, done: Done, timeWindow: number, max: number): void {
      // Counted in the process too, so that a switch to it finds this process's recent hits already there.
      const counted = (fallback: Done) => this.local[method](key, fallback, timeWindow, max);
      if (!circuit.tryRedis()) {
        counted(done);
        return;
      }
      counted(() => {});
      this.shared[method](
        key,
        (err, result) => {
          if (err || !result) {
            circuit.failed(err);
            this.local.read(key, done, timeWindow, max);
            return;
          }
          circuit.succeeded();
          done(null, result);
        },
        timeWindow,
        max,
      );
    }
  }
  // The plugin's typing of the options it passes is narrower than what it passes (continueExceeding, …).
  return FallbackStore as unknown as FastifyRateLimitStoreCtor;
}
