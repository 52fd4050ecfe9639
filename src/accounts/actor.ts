// Who is acting: a signed-in person, or the installation's operator at the command line — named, never implied by null.
import type { CurrentUser } from './accounts.service.ts';
import { type Action, can, type Target } from './permissions.ts';

/** The operator at the command line: the only actor that needs no grant. */
export const COMMAND_LINE = Object.freeze({ commandLine: true as const });
export type Actor = CurrentUser | typeof COMMAND_LINE;

export function isCommandLine(actor: Actor): actor is typeof COMMAND_LINE {
  return actor === COMMAND_LINE;
}

/** The account to record as having acted: none for the command line. */
export function actingUserId(actor: Actor): number | null {
  return isCommandLine(actor) ? null : actor.id;
}

/** May this actor take this action on this target? The command line always may. */
export function actorCan(actor: Actor, action: Action, target: Target = {}): boolean {
  return isCommandLine(actor) || can(actor.grants, action, target);
}
