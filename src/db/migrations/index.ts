// Every migration in order. A landed migration is frozen; the schema canary test guards that.
import type { Migration } from 'kysely';
import * as foundation from './0001-foundation.ts';

export const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': foundation,
};
