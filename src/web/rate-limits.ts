// Every per-address limit a route takes, from the configuration, in @fastify/rate-limit's form; routes name theirs by purpose.
import type { Config } from '../config.ts';

export interface RouteLimit {
  readonly max: number;
  readonly timeWindow: string;
}

export interface RateLimits {
  /** Any write that names no limit of its own. */
  readonly write: RouteLimit;
  /** Password and code logins, the second step, tokens, and the account forms that check the password or a one-time code. */
  readonly login: RouteLimit;
  /** Asking for an SMS code, and the forms that use one up: registration and password reset. */
  readonly code: RouteLimit;
  /** Submitting a message, on the web and through the API. */
  readonly submit: RouteLimit;
  /** Looking for similar public messages before submitting. */
  readonly similar: RouteLimit;
  /** Tracking-code look-ups, on the page and through the API: few enough that codes cannot be guessed. */
  readonly track: RouteLimit;
  /** Votes in solicitations, on the page and through the API. */
  readonly vote: RouteLimit;
}

const perMinute = (max: number): RouteLimit => Object.freeze({ max, timeWindow: '1 minute' });

export function rateLimits(config: Pick<Config, 'limits'>): RateLimits {
  const { limits } = config;
  return Object.freeze({
    write: perMinute(limits.writePerMinute),
    login: perMinute(limits.loginPerMinute),
    code: perMinute(limits.codePerMinute),
    submit: perMinute(limits.submitPerMinute),
    similar: perMinute(limits.similarPerMinute),
    track: perMinute(limits.trackPerMinute),
    vote: perMinute(limits.votePerMinute),
  });
}
