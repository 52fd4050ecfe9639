// Every step in the life of a message after review: one function per transition, each one transaction that
// also writes the case event and the notifications.
import type { CurrentUser } from '../accounts/accounts.service.ts';
import { type Action, can, type Target } from '../accounts/permissions.ts';
import { scopeRepository } from '../accounts/scope.repository.ts';
import { caseEventsRepository } from '../audit/case-events.ts';
import { boardsRepository } from '../boards/boards.repository.ts';
import { dbBool } from '../db/dialect.ts';
import { idFromText } from '../db/ids.ts';
import type { Db } from '../db/kysely.ts';
import { deadlineFor } from '../deadlines/working-rules.ts';
import { type MessageStatus, type MessageType, STATUSES } from '../messages/message-kinds.ts';
import { type MessageRow, messagesRepository } from '../messages/messages.repository.ts';
import { notify } from '../notify/notify.ts';
import { AppError } from '../web/app-error.ts';
import { rulesForRegion } from './rules.service.ts';
import { workflowRepository } from './workflow.repository.ts';
import { searchRepository } from '../search/search.repository.ts';
import { notifyFollowers } from '../follows/follows.service.ts';
import { chinaDate } from '../deadlines/working-days.ts';
import { recipientsRepository } from './recipients.repository.ts';
import { notifyStaff } from './staff-notices.ts';
import { conflict, expectVersion, stepTransaction } from './conflicts.ts';
import { WorkflowInputError } from './workflow-errors.ts';

export const TEXT_MAX = 5000;
export const REASON_MAX = 500;

/** Which statuses each action starts from. Anything else is refused with WRONG_STATUS. */
export const FROM: Record<string, readonly MessageStatus[]> = {
  accept: ['pending'],
  assign: ['assigned'],
  return: ['assigned'],
  'request-extension': ['assigned'],
  'decide-extension': ['assigned'],
  'draft-reply': ['assigned'],
  'approve-reply': ['assigned'],
  // The leader signs a reply before it is published, never after.
  'sign-reply': ['assigned'],
  'send-back-reply': ['assigned'],
  'request-signature': ['pending', 'assigned'],
  'set-priority': ['pending', 'assigned'],
  supervise: ['pending', 'assigned'],
  rate: ['replied'],
  'follow-up': ['replied'],
};

export const PRIORITIES = ['urgent', 'normal'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const isPriority = (value: unknown): value is Priority =>
  typeof value === 'string' && (PRIORITIES as readonly string[]).includes(value);

/**
 * The message as it is now. When the form or API call says which version its writer saw (`version`) and it is older,
 * someone acted since: 409 CONFLICT, before anything is checked against a state the writer never saw.
 */
async function load(db: Db, id: number, input: { version?: unknown } = {}): Promise<MessageRow> {
  const message = await messagesRepository.findById(db, id);
  if (!message) throw new AppError('MESSAGE_NOT_FOUND', { id });
  expectVersion(message.version, input.version);
  return message;
}

function expectStatus(message: MessageRow, action: string): void {
  if (!FROM[action]!.includes(message.status as MessageStatus)) {
    throw new AppError('WRONG_STATUS', { status: STATUSES[message.status as MessageStatus] ?? message.status });
  }
}

async function unitTarget(db: Db, unitId: number, regionCode?: string): Promise<Target> {
  const unit = await workflowRepository.unit(db, unitId);
  return {
    unitPath: await scopeRepository.unitPath(db, unitId),
    regionPath: await scopeRepository.regionPath(db, regionCode ?? unit?.region_code ?? ''),
  };
}

async function allow(db: Db, actor: CurrentUser, action: Action, unitId: number | null): Promise<void> {
  if (unitId === null || !can(actor.grants, action, await unitTarget(db, unitId))) throw new AppError('FORBIDDEN');
}

/**
 * The unit handling the message takes this step. One exception to FORBIDDEN: a second assignment or return from the
 * unit whose first one took effect a moment before, when two people of one unit clicked at once. The message left
 * their unit by their own unit's step of the same kind, so they hear that it changed (409), not that they may not.
 * (A caller that sends the version it saw gets 409 for any step someone took since, before this is asked.)
 */
async function allowHandler(db: Db, actor: CurrentUser, action: Action, m: MessageRow): Promise<void> {
  if (m.current_unit_id !== null && can(actor.grants, action, await unitTarget(db, m.current_unit_id))) return;
  if (action === 'message.assign' && m.assigned_by_unit_id !== null) {
    if (can(actor.grants, action, await unitTarget(db, m.assigned_by_unit_id))) throw conflict();
  }
  if (action === 'message.return') {
    const last = (await caseEventsRepository.listForMessage(db, m.id)).findLast(
      (e) => e.kind === 'assign' || e.kind === 'return',
    );
    const from = last?.kind === 'return' ? Number(last.data.from) : null;
    if (from && can(actor.grants, action, await unitTarget(db, from))) throw conflict();
  }
  throw new AppError('FORBIDDEN');
}

/**
 * A refusal read from the rows beside the message (its extensions, its reply) after the message itself: when the
 * message moved on in between, another step came first, and that is the answer (409 CONFLICT).
 */
async function refusal(db: Db, m: MessageRow, err: AppError): Promise<AppError> {
  const now = await messagesRepository.findById(db, m.id);
  return now && now.version !== m.version ? conflict() : err;
}

const text = (value: unknown, max: number) => (typeof value === 'string' ? value.trim().slice(0, max) : '');
const yes = (value: unknown) => value === true || value === 'true' || value === '1';

/**
 * The dispatching units of a message: the board's unit and the unit that assigned it. They, or a supervisor above
 * them, set its priority; the unit handling it does not rank its own work.
 */
export async function mayPrioritize(db: Db, actor: CurrentUser, m: MessageRow): Promise<boolean> {
  const board = await boardsRepository.essentials(db, m.board_id);
  for (const unitId of new Set([board?.unit_id ?? null, m.assigned_by_unit_id])) {
    if (unitId !== null && can(actor.grants, 'message.prioritize', await unitTarget(db, unitId, m.region_code)))
      return true;
  }
  return false;
}

/** The board's unit accepts (受理): it now handles the message, and the handling clock starts. Thanks are closed. */
export async function accept(
  db: Db,
  actor: CurrentUser,
  id: number,
  input: { note?: unknown; version?: unknown } = {},
): Promise<MessageStatus> {
  const m = await load(db, id, input);
  expectStatus(m, 'accept');
  await allow(db, actor, 'message.accept', m.current_unit_id);
  const rules = await rulesForRegion(db, m.region_code);
  const now = new Date();
  const at = now.toISOString();
  const thanks = m.type === 'thanks';
  const to: MessageStatus = thanks ? 'closed' : 'assigned';
  const handleDue = thanks ? null : deadlineFor(now, rules.handlingDays[m.type as MessageType], rules).toISOString();
  await stepTransaction(db, async (trx) => {
    const moved = await messagesRepository.step(
      trx,
      id,
      { status: 'pending', version: m.version },
      { status: to, accepted_at: at, handle_due_at: handleDue, ...(thanks ? { closed_at: at } : {}) },
    );
    if (!moved) throw conflict();
    await caseEventsRepository.append(trx, {
      messageId: id,
      kind: thanks ? 'acknowledge' : 'accept',
      actorId: actor.id,
      actorUnitId: m.current_unit_id,
      fromStatus: 'pending',
      toStatus: to,
      note: text(input.note, TEXT_MAX),
      data: handleDue ? { handleDueAt: handleDue } : {},
      at,
    });
    await notify(trx, {
      userId: m.author_id,
      messageId: id,
      text: ({ t, date }) =>
        thanks
          ? t('workflow.notice.thanksReceived', { title: m.title })
          : t('workflow.notice.accepted', { title: m.title, date: date(handleDue!) }),
      sms: !thanks,
      dedupeKey: `accept:${id}`,
    });
  });
  return to;
}

/** The handling unit assigns (交办) to a unit below it, with an instruction. */
export async function assign(
  db: Db,
  actor: CurrentUser,
  id: number,
  input: { unitId?: unknown; note?: unknown; priority?: unknown; version?: unknown },
): Promise<void> {
  const m = await load(db, id, input);
  expectStatus(m, 'assign');
  await allowHandler(db, actor, 'message.assign', m);
  const priority = input.priority === undefined || input.priority === '' ? m.priority : input.priority;
  if (!isPriority(priority)) throw new AppError('PRIORITY_INVALID', {}, 'priority');
  const target = idFromText(input.unitId);
  if (
    target === null ||
    !(await workflowRepository.unit(db, target)) ||
    !(await workflowRepository.isBelow(db, target, m.current_unit_id!))
  ) {
    throw new WorkflowInputError('workflow.error.assignBelow', {}, 'unitId');
  }
  const at = new Date().toISOString();
  const note = text(input.note, TEXT_MAX);
  await stepTransaction(db, async (trx) => {
    const moved = await messagesRepository.step(
      trx,
      id,
      { status: 'assigned', version: m.version, current_unit_id: m.current_unit_id },
      { current_unit_id: target, assigned_by_unit_id: m.current_unit_id, assigned_at: at, priority },
    );
    if (!moved) throw conflict();
    await caseEventsRepository.append(trx, {
      messageId: id,
      kind: 'assign',
      actorId: actor.id,
      actorUnitId: m.current_unit_id,
      fromStatus: 'assigned',
      toStatus: 'assigned',
      note,
      data: { from: m.current_unit_id, to: target, ...(priority !== m.priority ? { priority } : {}) },
      at,
    });
    await notifyStaff(trx, {
      to: [{ unit: target }],
      messageId: id,
      text: ({ t }) =>
        t(priority === 'urgent' ? 'workflow.notice.assignedUrgent' : 'workflow.notice.assigned', {
          title: m.title,
          note,
        }),
      dedupeKey: `assign:${id}:${target}:${at}`,
    });
  });
}

/** The assignee returns (退回) the message to the unit that assigned it, within the objection window. */
export async function returnMessage(
  db: Db,
  actor: CurrentUser,
  id: number,
  input: { reason?: unknown; version?: unknown },
): Promise<void> {
  const m = await load(db, id, input);
  expectStatus(m, 'return');
  await allowHandler(db, actor, 'message.return', m);
  const reason = text(input.reason, REASON_MAX);
  if (!reason) throw new WorkflowInputError('workflow.error.returnReason', {}, 'reason');
  if (!m.assigned_by_unit_id || !m.assigned_at) throw new WorkflowInputError('workflow.error.returnNotAssigned');
  const rules = await rulesForRegion(db, m.region_code);
  const windowEnd = deadlineFor(new Date(m.assigned_at), rules.objectionDays, rules);
  if (Date.now() > windowEnd.getTime()) {
    throw new WorkflowInputError('workflow.error.objectionOver', { days: rules.objectionDays });
  }
  const at = new Date().toISOString();
  await stepTransaction(db, async (trx) => {
    const moved = await messagesRepository.step(
      trx,
      id,
      { status: 'assigned', version: m.version, current_unit_id: m.current_unit_id },
      { current_unit_id: m.assigned_by_unit_id, assigned_by_unit_id: null, assigned_at: null },
    );
    if (!moved) throw conflict();
    await caseEventsRepository.append(trx, {
      messageId: id,
      kind: 'return',
      actorId: actor.id,
      actorUnitId: m.current_unit_id,
      fromStatus: 'assigned',
      toStatus: 'assigned',
      note: reason,
      data: { from: m.current_unit_id, to: m.assigned_by_unit_id },
      at,
    });
    await notifyStaff(trx, {
      to: [{ unit: m.assigned_by_unit_id! }],
      messageId: id,
      text: ({ t }) => t('workflow.notice.returned', { title: m.title, reason }),
      dedupeKey: `return:${id}:${at}`,
    });
  });
}

export async function requestExtension(
  db: Db,
  actor: CurrentUser,
  id: number,
  input: { days?: unknown; reason?: unknown; version?: unknown },
): Promise<number> {
  const m = await load(db, id, input);
  expectStatus(m, 'request-extension');
  await allowHandler(db, actor, 'extension.request', m);
  const rules = await rulesForRegion(db, m.region_code);
  const days = Number(input.days);
  if (!Number.isInteger(days) || days < 1 || days > rules.extensionMaxDays) {
    throw new WorkflowInputError('workflow.error.extensionDays', { max: rules.extensionMaxDays }, 'days');
  }
  const reason = text(input.reason, REASON_MAX);
  if (!reason) throw new WorkflowInputError('workflow.error.extensionReason', {}, 'reason');
  const earlier = await workflowRepository.extensions(db, id);
  if (earlier.some((e) => e.status === 'pending')) throw await refusal(db, m, new AppError('EXTENSION_PENDING'));
  if (earlier.filter((e) => e.status === 'granted').length >= rules.maxExtensions) {
    throw await refusal(db, m, new WorkflowInputError('workflow.error.extensionMax', { max: rules.maxExtensions }));
  }
  const at = new Date().toISOString();
  const decider = m.assigned_by_unit_id ?? m.current_unit_id!;
  return stepTransaction(db, async (trx) => {
    // The unique index on pending extensions backs this up: a second one cannot exist.
    if (
      !(await messagesRepository.step(trx, id, {
        status: 'assigned',
        version: m.version,
        current_unit_id: m.current_unit_id,
      }))
    )
      throw conflict();
    const extensionId = await workflowRepository.insertExtension(trx, {
      messageId: id,
      unitId: m.current_unit_id!,
      requestedBy: actor.id,
      days,
      reason,
    });
    await caseEventsRepository.append(trx, {
      messageId: id,
      kind: 'request-extension',
      actorId: actor.id,
      actorUnitId: m.current_unit_id,
      fromStatus: 'assigned',
      toStatus: 'assigned',
      note: reason,
      data: { extensionId, days },
      at,
    });
    await notifyStaff(trx, {
      to: [{ unit: decider }, { headsOf: decider }],
      messageId: id,
      text: ({ t }) => t('workflow.notice.extensionRequested', { title: m.title, days, reason }),
      dedupeKey: `extension-request:${extensionId}`,
    });
    return extensionId;
  });
}

/** The assigning unit (or the unit itself when it kept the message) grants or refuses an extension. */
export async function decideExtension(
  db: Db,
  actor: CurrentUser,
  id: number,
  input: { extensionId?: unknown; grant?: unknown; note?: unknown; version?: unknown },
): Promise<void> {
  const m = await load(db, id, input);
  expectStatus(m, 'decide-extension');
  await allow(db, actor, 'extension.decide', m.assigned_by_unit_id ?? m.current_unit_id);
  const named = (await workflowRepository.extensions(db, id)).find((e) => e.id === Number(input.extensionId));
  if (!named) throw new WorkflowInputError('workflow.error.noExtension', {}, 'extensionId');
  if (named.status !== 'pending') throw await refusal(db, m, new AppError('EXTENSION_DECIDED'));
  const extension = named;
  const grant = input.grant === true || input.grant === 'true' || input.grant === '1';
  const rules = await rulesForRegion(db, m.region_code);
  const at = new Date().toISOString();
  const newDue = grant ? deadlineFor(new Date(m.handle_due_at ?? at), extension.days, rules).toISOString() : null;
  await stepTransaction(db, async (trx) => {
    // The new deadline counts from the one read: it must still be the one in force.
    const moved = await messagesRepository.step(
      trx,
      id,
      { status: 'assigned', version: m.version, handle_due_at: m.handle_due_at },
      grant ? { handle_due_at: newDue, extension_days: m.extension_days + extension.days } : {},
    );
    if (!moved) throw conflict();
    if (!(await workflowRepository.decideExtension(trx, extension.id, grant ? 'granted' : 'refused', actor.id)))
      throw conflict();
    await caseEventsRepository.append(trx, {
      messageId: id,
      kind: grant ? 'grant-extension' : 'refuse-extension',
      actorId: actor.id,
      actorUnitId: m.assigned_by_unit_id ?? m.current_unit_id,
      fromStatus: 'assigned',
      toStatus: 'assigned',
      note: text(input.note, REASON_MAX) || extension.reason,
      data: { extensionId: extension.id, days: extension.days, ...(newDue ? { handleDueAt: newDue } : {}) },
      at,
    });
    await notifyStaff(trx, {
      to: [{ unit: extension.unit_id }],
      messageId: id,
      text: ({ t, date }) =>
        grant
          ? t('workflow.notice.extensionGranted', { title: m.title, date: date(newDue!) })
          : t('workflow.notice.extensionRefused', { title: m.title }),
      dedupeKey: `extension-decided-unit:${extension.id}`,
    });
    if (grant) {
      await notify(trx, {
        userId: m.author_id,
        messageId: id,
        text: ({ t }) =>
          t('workflow.notice.extensionAuthor', { title: m.title, days: extension.days, reason: extension.reason }),
        sms: true,
        dedupeKey: `extension-author:${extension.id}`,
      });
    }
  });
}

/** A reply saved: its id and the version a later save must name as `draftVersion`. */
export interface DraftSaved {
  replyId: number;
  draftVersion: number;
}

/**
 * Unit staff write the reply; `submit` sends it to the unit head for approval. A save names the draft it was written
 * over (`draftVersion`: the version the writer's form showed, 0 for none): when a colleague saved the draft since,
 * nothing is overwritten and the save is refused with 409 CONFLICT, so the writer can compare both texts.
 */
export async function draftReply(
  db: Db,
  actor: CurrentUser,
  id: number,
  input: { body?: unknown; resolved?: unknown; submit?: unknown; version?: unknown; draftVersion?: unknown },
): Promise<DraftSaved> {
  const m = await load(db, id, input);
  expectStatus(m, 'draft-reply');
  await allowHandler(db, actor, 'reply.draft', m);
  const body = text(input.body, TEXT_MAX);
  if ([...body].length < 10) throw new WorkflowInputError('workflow.error.replyShort', {}, 'body');
  const submit = yes(input.submit);
  const resolved = yes(input.resolved);
  const at = new Date().toISOString();
  const round = m.follow_ups + 1;
  const status = submit ? 'pending_approval' : 'draft';
  return stepTransaction(db, async (trx) => {
    // Still this unit's, in this round. Submitting is a step others' pages must see; saving a draft is not, but it
    // waits its turn like one.
    const expected = { status: 'assigned', current_unit_id: m.current_unit_id, follow_ups: m.follow_ups };
    const held = submit
      ? await messagesRepository.step(trx, id, expected)
      : await messagesRepository.hold(trx, id, expected);
    if (!held) throw conflict();
    const existing = await workflowRepository.openReply(trx, id, round);
    if (existing?.status === 'pending_sign') throw new AppError('REPLY_AWAITING_SIGNATURE');
    // Taking a reply back from the head's approval changes what the head's page offers: a step, like submitting.
    if (!submit && existing?.status === 'pending_approval') await messagesRepository.step(trx, id, {});
    expectVersion(existing?.version ?? 0, input.draftVersion, 'draftVersion');
    let replyId: number;
    let draftVersion: number;
    if (existing) {
      replyId = existing.id;
      const saved = await workflowRepository.saveReply(trx, replyId, existing.version, {
        body,
        resolved: dbBool(resolved),
        status,
        unit_id: m.current_unit_id,
        author_id: actor.id,
      });
      if (!saved) throw conflict();
      draftVersion = existing.version + 1;
    } else {
      // The unique index on open replies backs this up: a colleague's first draft saved meanwhile makes this a conflict.
      replyId = await workflowRepository.insertReply(trx, {
        messageId: id,
        unitId: m.current_unit_id!,
        authorId: actor.id,
        body,
        resolved,
        status,
        round,
      });
      draftVersion = 1;
    }
    if (submit) {
      await caseEventsRepository.append(trx, {
        messageId: id,
        kind: 'submit-reply',
        actorId: actor.id,
        actorUnitId: m.current_unit_id,
        fromStatus: 'assigned',
        toStatus: 'assigned',
        data: { replyId },
        at,
      });
      await notifyStaff(trx, {
        to: [{ headsOf: m.current_unit_id! }],
        messageId: id,
        text: ({ t }) => t('workflow.notice.replySubmitted', { title: m.title }),
        dedupeKey: `reply-submitted:${replyId}:${at}`,
      });
    }
    return { replyId, draftVersion };
  });
}

type ReplyRow = NonNullable<Awaited<ReturnType<typeof workflowRepository.latestReply>>>;

/**
 * Publishes a reply inside the caller's transaction: the message becomes replied, the author's rating window opens,
 * the author and the followers are told. The caller has already moved the reply to `published`.
 */
async function publish(trx: Db, m: MessageRow, reply: ReplyRow, actor: CurrentUser, now: Date): Promise<void> {
  const at = now.toISOString();
  const rules = await rulesForRegion(trx, m.region_code);
  const ratingDue = deadlineFor(now, rules.ratingDays, rules).toISOString();
  const moved = await messagesRepository.transition(trx, m.id, 'assigned', 'replied', {
    replied_at: at,
    rating_due_at: ratingDue,
  });
  if (!moved) throw conflict();
  await workflowRepository.updateReply(trx, reply.id, { published_at: at });
  await searchRepository.reindex(trx, m.id);
  await caseEventsRepository.append(trx, {
    messageId: m.id,
    kind: 'publish-reply',
    actorId: actor.id,
    actorUnitId: m.current_unit_id,
    fromStatus: 'assigned',
    toStatus: 'replied',
    data: { replyId: reply.id, resolved: Boolean(reply.resolved), ratingDueAt: ratingDue },
    at,
  });
  await notify(trx, {
    userId: m.author_id,
    messageId: m.id,
    text: ({ t, date }) => t('workflow.notice.replied', { title: m.title, date: date(ratingDue) }),
    sms: true,
    // By SMS, how to answer it by SMS, with the words the platform reads in the recipient's language (see
    // sms/inbound-commands.ts).
    smsText: ({ t, date }) => t('workflow.notice.repliedSms', { code: m.tracking_code, date: date(ratingDue) }),
    dedupeKey: `reply:${reply.id}`,
  });
  await notifyFollowers(trx, {
    messageId: m.id,
    boardId: m.board_id,
    text: ({ t }) => t('workflow.notice.followerReplied', { title: m.title }),
    dedupeKey: `reply-followers:${reply.id}`,
  });
}

/**
 * The unit head approves the reply. It is published at once, unless the board's leader asked to sign this message's
 * replies or the head sends it to the leader (`sign`): then it waits for the leader's signature.
 */
export async function approveReply(
  db: Db,
  actor: CurrentUser,
  id: number,
  input: { sign?: unknown; version?: unknown } = {},
): Promise<'published' | 'to-sign'> {
  const m = await load(db, id, input);
  expectStatus(m, 'approve-reply');
  await allowHandler(db, actor, 'reply.approve', m);
  const reply = await workflowRepository.latestReply(db, id);
  // Another head approved it a moment ago (it waits for the leader now): that is a conflict, not a mistake.
  if (reply?.status === 'pending_sign') throw conflict();
  if (!reply || reply.status !== 'pending_approval')
    throw await refusal(db, m, new WorkflowInputError('workflow.error.noReply'));
  const now = new Date();
  const at = now.toISOString();
  /** The message and the very text the head read: a reply changed or moved since is not approved. */
  const take = async (trx: Db, to: string, changes: Record<string, unknown>) => {
    if (!(await messagesRepository.step(trx, id, { status: 'assigned', version: m.version }))) throw conflict();
    if (!(await workflowRepository.moveReply(trx, reply.id, 'pending_approval', to, changes, reply.version)))
      throw conflict();
  };
  if (Boolean(m.sign_requested) || yes(input.sign)) {
    if ((await recipientsRepository.boardLeaders(db, m.board_id)).length === 0) throw new AppError('NO_SIGNER');
    await stepTransaction(db, async (trx) => {
      await take(trx, 'pending_sign', { approver_id: actor.id });
      await caseEventsRepository.append(trx, {
        messageId: id,
        kind: 'submit-signature',
        actorId: actor.id,
        actorUnitId: m.current_unit_id,
        fromStatus: 'assigned',
        toStatus: 'assigned',
        data: { replyId: reply.id, askedBy: m.sign_requested ? 'leader' : 'unit' },
        at,
      });
      await notifyStaff(trx, {
        to: [{ leadersOf: m.board_id }],
        messageId: id,
        text: ({ t }) => t('workflow.notice.toSign', { title: m.title }),
        dedupeKey: `to-sign:${reply.id}:${at}`,
      });
    });
    return 'to-sign';
  }
  await stepTransaction(db, async (trx) => {
    await take(trx, 'published', { approver_id: actor.id });
    await publish(trx, m, reply, actor, now);
  });
  return 'published';
}

/** The board's leader signs the reply waiting for them (领导签发): it is published with their name on it. */
export async function signReply(
  db: Db,
  actor: CurrentUser,
  id: number,
  input: { version?: unknown } = {},
): Promise<void> {
  const m = await load(db, id, input);
  expectStatus(m, 'sign-reply');
  if (!can(actor.grants, 'reply.sign', { boardId: m.board_id })) throw new AppError('FORBIDDEN');
  const reply = await workflowRepository.latestReply(db, id);
  if (!reply || reply.status !== 'pending_sign') throw await refusal(db, m, new AppError('NOTHING_TO_SIGN'));
  const board = await boardsRepository.essentials(db, m.board_id);
  const signer = board?.holder_name ? `${board.title} ${board.holder_name}` : (board?.title ?? actor.nickname);
  const now = new Date();
  const at = now.toISOString();
  await stepTransaction(db, async (trx) => {
    if (!(await messagesRepository.step(trx, id, { status: 'assigned', version: m.version }))) throw conflict();
    const signed = await workflowRepository.moveReply(
      trx,
      reply.id,
      'pending_sign',
      'published',
      { signer_id: actor.id, signer_name: signer },
      reply.version,
    );
    if (!signed) throw conflict();
    await caseEventsRepository.append(trx, {
      messageId: id,
      kind: 'sign-reply',
      actorId: actor.id,
      fromStatus: 'assigned',
      toStatus: 'assigned',
      data: { replyId: reply.id, signer },
      at,
    });
    await publish(trx, m, reply, actor, now);
    await notifyStaff(trx, {
      to: [{ unit: m.current_unit_id! }],
      messageId: id,
      text: ({ t }) => t('workflow.notice.signed', { title: m.title }),
      dedupeKey: `signed:${reply.id}`,
    });
  });
}

export const NOTE_MIN = 2;

/** The leader sends the reply back to the unit with a note: it is a draft again, for the unit to revise. */
export async function sendBackReply(
  db: Db,
  actor: CurrentUser,
  id: number,
  input: { note?: unknown; version?: unknown },
): Promise<void> {
  const m = await load(db, id, input);
  expectStatus(m, 'send-back-reply');
  if (!can(actor.grants, 'reply.sign', { boardId: m.board_id })) throw new AppError('FORBIDDEN');
  const reply = await workflowRepository.latestReply(db, id);
  if (!reply || reply.status !== 'pending_sign') throw await refusal(db, m, new AppError('NOTHING_TO_SIGN'));
  const note = text(input.note, REASON_MAX);
  if ([...note].length < NOTE_MIN) throw new AppError('NOTE_REQUIRED', { min: NOTE_MIN }, 'note');
  const at = new Date().toISOString();
  await stepTransaction(db, async (trx) => {
    if (!(await messagesRepository.step(trx, id, { status: 'assigned', version: m.version }))) throw conflict();
    if (!(await workflowRepository.moveReply(trx, reply.id, 'pending_sign', 'draft', {}, reply.version)))
      throw conflict();
    await caseEventsRepository.append(trx, {
      messageId: id,
      kind: 'send-back-reply',
      actorId: actor.id,
      fromStatus: 'assigned',
      toStatus: 'assigned',
      note,
      data: { replyId: reply.id },
      at,
    });
    await notifyStaff(trx, {
      to: [{ unit: m.current_unit_id! }],
      messageId: id,
      text: ({ t }) => t('workflow.notice.sentBack', { title: m.title, note }),
      dedupeKey: `sent-back:${reply.id}:${at}`,
    });
  });
}

/** The board's leader asks that this message's replies wait for their signature before they are published. */
export async function requestSignature(
  db: Db,
  actor: CurrentUser,
  id: number,
  input: { version?: unknown } = {},
): Promise<void> {
  const m = await load(db, id, input);
  expectStatus(m, 'request-signature');
  if (!can(actor.grants, 'reply.sign', { boardId: m.board_id })) throw new AppError('FORBIDDEN');
  if (m.sign_requested) throw new AppError('SIGNATURE_ALREADY_REQUESTED');
  const at = new Date().toISOString();
  await stepTransaction(db, async (trx) => {
    if (!(await messagesRepository.step(trx, id, { status: m.status, version: m.version }, { sign_requested: 1 })))
      throw conflict();
    await caseEventsRepository.append(trx, {
      messageId: id,
      kind: 'request-signature',
      actorId: actor.id,
      fromStatus: m.status,
      toStatus: m.status,
      at,
    });
    await notifyStaff(trx, {
      to: [{ unit: m.current_unit_id! }],
      messageId: id,
      text: ({ t }) => t('workflow.notice.signRequested', { title: m.title }),
      dedupeKey: `sign-requested:${id}`,
    });
  });
}

/** The dispatching unit or a supervisor marks a message urgent (or normal again). */
export async function setPriority(
  db: Db,
  actor: CurrentUser,
  id: number,
  input: { priority?: unknown; version?: unknown },
): Promise<void> {
  const m = await load(db, id, input);
  expectStatus(m, 'set-priority');
  if (!(await mayPrioritize(db, actor, m))) throw new AppError('FORBIDDEN');
  if (!isPriority(input.priority)) throw new AppError('PRIORITY_INVALID', {}, 'priority');
  const priority = input.priority;
  if (priority === m.priority) return;
  const at = new Date().toISOString();
  await stepTransaction(db, async (trx) => {
    if (!(await messagesRepository.step(trx, id, { status: m.status, version: m.version }, { priority })))
      throw conflict();
    await caseEventsRepository.append(trx, {
      messageId: id,
      kind: 'set-priority',
      actorId: actor.id,
      fromStatus: m.status,
      toStatus: m.status,
      data: { priority },
      at,
    });
    if (priority === 'urgent')
      await notifyStaff(trx, {
        to: [{ unit: m.current_unit_id! }],
        messageId: id,
        text: ({ t }) => t('workflow.notice.urgent', { title: m.title }),
        dedupeKey: `urgent:${id}:${at}`,
      });
  });
}

/** How far ahead a hand-issued supervision notice's deadline may lie. */
export const SUPERVISION_MAX_DAYS = 90;

/** The end of a China calendar day, as an instant. */
function endOfChinaDay(date: string): string {
  return new Date(`${date}T23:59:59.999+08:00`).toISOString();
}

/**
 * A supervisor issues a 督办 by hand, with an instruction and a date to act by: recorded like the automatic ones
 * (a notice, a case event, the unit told), but not counted as a missed deadline.
 */
export async function superviseByHand(
  db: Db,
  actor: CurrentUser,
  id: number,
  input: { note?: unknown; dueDate?: unknown; version?: unknown },
): Promise<number> {
  const m = await load(db, id, input);
  expectStatus(m, 'supervise');
  const target = await unitTarget(db, m.current_unit_id!, m.region_code);
  if (m.current_unit_id === null || !can(actor.grants, 'supervision.issue', target)) throw new AppError('FORBIDDEN');
  const note = text(input.note, REASON_MAX);
  if ([...note].length < NOTE_MIN) throw new AppError('NOTE_REQUIRED', { min: NOTE_MIN }, 'note');
  const now = new Date();
  const today = chinaDate(now);
  const latest = chinaDate(new Date(now.getTime() + SUPERVISION_MAX_DAYS * 24 * 3600_000));
  const dueDate = typeof input.dueDate === 'string' ? input.dueDate.trim() : '';
  const example = chinaDate(new Date(now.getTime() + 5 * 24 * 3600_000));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dueDate) || Number.isNaN(Date.parse(dueDate)) || dueDate < today || dueDate > latest)
    throw new AppError('SUPERVISION_DATE_INVALID', { max: SUPERVISION_MAX_DAYS, example }, 'dueDate');
  const dueAt = endOfChinaDay(dueDate);
  const supervisingUnit = await supervisingUnitOf(db, actor, target, m.current_unit_id);
  const at = now.toISOString();
  return stepTransaction(db, async (trx) => {
    // A 督办 changes nothing others act on, so it leaves their pages valid; it still waits its turn for the case event.
    if (!(await messagesRepository.hold(trx, id, { status: m.status, current_unit_id: m.current_unit_id })))
      throw conflict();
    const supervisionId = await workflowRepository.insertSupervisionOnce(trx, {
      messageId: id,
      deadline: 'manual',
      dueAt,
      level: 0,
      unitId: supervisingUnit,
      note,
      issuedBy: actor.id,
    });
    if (supervisionId === null) throw new AppError('SUPERVISION_DUPLICATE');
    await caseEventsRepository.append(trx, {
      messageId: id,
      kind: 'supervise-manual',
      actorId: actor.id,
      actorUnitId: supervisingUnit,
      fromStatus: m.status,
      toStatus: m.status,
      note,
      data: { supervisionId, dueAt },
      at,
    });
    await notifyStaff(trx, {
      to: [{ unit: m.current_unit_id! }],
      messageId: id,
      text: ({ t, date }) => t('workflow.notice.supervisedByHand', { title: m.title, date: date(dueAt), note }),
      dedupeKey: `supervise-manual:${supervisionId}`,
    });
    return supervisionId;
  });
}

/** The unit a supervisor acts for: the unit of their grant above the message's unit, or their region's dispatching unit. */
async function supervisingUnitOf(db: Db, actor: CurrentUser, target: Target, fallback: number): Promise<number> {
  const grants = actor.grants.filter((g) => g.role === 'supervisor');
  const byUnit = grants.find((g) => g.scopeType === 'unit' && (target.unitPath ?? []).includes(Number(g.scopeId)));
  if (byUnit) return Number(byUnit.scopeId);
  const byRegion = grants.find((g) => g.scopeType === 'region' && (target.regionPath ?? []).includes(g.scopeId));
  if (byRegion) {
    const dispatching = await workflowRepository.unit(db, Number(`${byRegion.scopeId}001`));
    if (dispatching) return dispatching.id;
  }
  return fallback;
}

const RATING_DIMENSIONS = ['resolution', 'timeliness', 'attitude'] as const;

/** The three scores, each 1–5; every missing or wrong one is reported at once, beside its own question. */
function scores(input: Record<string, unknown>): Record<(typeof RATING_DIMENSIONS)[number], number> {
  const problems: AppError[] = [];
  const out = {} as Record<(typeof RATING_DIMENSIONS)[number], number>;
  for (const field of RATING_DIMENSIONS) {
    const n = Number(input[field]);
    if (input[field] === undefined || input[field] === '' || !Number.isInteger(n) || n < 1 || n > 5)
      problems.push(new WorkflowInputError(`workflow.error.score.${field}`, {}, field));
    else out[field] = n;
  }
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) throw new AppError('FORM_INVALID', {}, undefined, problems);
  return out;
}

/** The author rates the answer in three dimensions; the message is closed. */
export async function rate(
  db: Db,
  author: CurrentUser,
  id: number,
  input: { resolution?: unknown; timeliness?: unknown; attitude?: unknown; comment?: unknown; version?: unknown },
): Promise<void> {
  const m = await load(db, id, input);
  if (m.author_id !== author.id) throw new AppError('FORBIDDEN');
  expectStatus(m, 'rate');
  if (m.rating_due_at && Date.now() > Date.parse(m.rating_due_at))
    throw new WorkflowInputError('workflow.error.ratingClosed');
  const values = scores(input);
  const comment = text(input.comment, 500) || null;
  const at = new Date().toISOString();
  await stepTransaction(db, async (trx) => {
    // One rating per round: the unique (message, round) key backs the status step up.
    const moved = await messagesRepository.step(
      trx,
      id,
      { status: 'replied', version: m.version },
      { status: 'closed', closed_at: at },
    );
    if (!moved) throw conflict();
    await workflowRepository.insertRating(trx, {
      messageId: id,
      round: m.follow_ups + 1,
      authorId: author.id,
      ...values,
      comment,
    });
    await caseEventsRepository.append(trx, {
      messageId: id,
      kind: 'rate',
      actorId: author.id,
      fromStatus: 'replied',
      toStatus: 'closed',
      note: comment ?? '',
      data: values,
      at,
    });
    await notify(trx, {
      unitId: m.current_unit_id,
      messageId: id,
      text: ({ t }) => t('workflow.notice.rated', { title: m.title, ...values }),
      dedupeKey: `rated:${id}:${m.follow_ups + 1}`,
    });
    await notifyFollowers(trx, {
      messageId: id,
      boardId: m.board_id,
      text: ({ t }) => t('workflow.notice.followerClosed', { title: m.title }),
      dedupeKey: `closed-followers:${id}`,
    });
  });
}

/** One follow-up question (追问): the message goes back to the unit that answered, with a new deadline. */
export async function followUp(
  db: Db,
  author: CurrentUser,
  id: number,
  input: { question?: unknown; version?: unknown },
): Promise<void> {
  const m = await load(db, id, input);
  if (m.author_id !== author.id) throw new AppError('FORBIDDEN');
  expectStatus(m, 'follow-up');
  if (m.follow_ups >= 1) throw new WorkflowInputError('workflow.error.oneFollowUp');
  const question = text(input.question, TEXT_MAX);
  if ([...question].length < 5) throw new WorkflowInputError('workflow.error.followUpShort', {}, 'question');
  const rules = await rulesForRegion(db, m.region_code);
  const now = new Date();
  const at = now.toISOString();
  const handleDue = deadlineFor(
    now,
    rules.handlingDays[m.type as MessageType] || rules.handlingDays.consult,
    rules,
  ).toISOString();
  await stepTransaction(db, async (trx) => {
    const moved = await messagesRepository.step(
      trx,
      id,
      { status: 'replied', version: m.version, follow_ups: m.follow_ups },
      { status: 'assigned', follow_ups: m.follow_ups + 1, handle_due_at: handleDue, rating_due_at: null },
    );
    if (!moved) throw conflict();
    await caseEventsRepository.append(trx, {
      messageId: id,
      kind: 'follow-up',
      actorId: author.id,
      fromStatus: 'replied',
      toStatus: 'assigned',
      note: question,
      data: { handleDueAt: handleDue },
      at,
    });
    await notifyStaff(trx, {
      to: [{ unit: m.current_unit_id! }],
      messageId: id,
      text: ({ t }) => t('workflow.notice.followUp', { title: m.title, question }),
      dedupeKey: `follow-up:${id}`,
    });
  });
}

/** Closes a replied message whose rating window has ended (run by the scheduler). */
export async function closeUnrated(db: Db, id: number): Promise<boolean> {
  const at = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    if (!(await messagesRepository.transition(trx, id, 'replied', 'closed', { closed_at: at }))) return false;
    await caseEventsRepository.append(trx, {
      messageId: id,
      kind: 'close',
      actorId: null,
      fromStatus: 'replied',
      toStatus: 'closed',
      note: '评价期结束，自动办结',
      at,
    });
    const m = await messagesRepository.findById(trx, id);
    if (m) {
      await notifyFollowers(trx, {
        messageId: id,
        boardId: m.board_id,
        text: ({ t }) => t('workflow.notice.followerClosed', { title: m.title }),
        dedupeKey: `closed-followers:${id}`,
      });
    }
    return true;
  });
}

/** The dispatching unit shares a complainant's identity with the unit handling the complaint. */
export async function shareIdentity(
  db: Db,
  actor: CurrentUser,
  id: number,
  input: { version?: unknown } = {},
): Promise<void> {
  const m = await load(db, id, input);
  const board = await boardsRepository.essentials(db, m.board_id);
  await allow(db, actor, 'message.assign', board?.unit_id ?? null);
  if (m.type !== 'complain' || Boolean(m.identity_shared)) throw new WorkflowInputError('workflow.error.shareIdentity');
  const at = new Date().toISOString();
  await stepTransaction(db, async (trx) => {
    if (!(await messagesRepository.step(trx, id, { version: m.version }, { identity_shared: 1 }))) throw conflict();
    await caseEventsRepository.append(trx, {
      messageId: id,
      kind: 'share-identity',
      actorId: actor.id,
      actorUnitId: board?.unit_id ?? null,
      fromStatus: m.status,
      toStatus: m.status,
      at,
    });
  });
}

type Transition = (db: Db, actor: CurrentUser, id: number, input: Record<string, unknown>) => Promise<unknown>;

/** The transitions by their public names. A Map, so a name like `constructor` or `__proto__` is simply not found. */
export const ACTIONS: ReadonlyMap<string, Transition> = new Map<string, Transition>([
  ['accept', (db, a, id, i) => accept(db, a, id, i)],
  ['assign', (db, a, id, i) => assign(db, a, id, i)],
  ['return', (db, a, id, i) => returnMessage(db, a, id, i)],
  ['request-extension', (db, a, id, i) => requestExtension(db, a, id, i)],
  ['decide-extension', (db, a, id, i) => decideExtension(db, a, id, i)],
  ['draft-reply', (db, a, id, i) => draftReply(db, a, id, i)],
  ['approve-reply', (db, a, id, i) => approveReply(db, a, id, i)],
  ['sign-reply', (db, a, id, i) => signReply(db, a, id, i)],
  ['send-back-reply', (db, a, id, i) => sendBackReply(db, a, id, i)],
  ['request-signature', (db, a, id, i) => requestSignature(db, a, id, i)],
  ['set-priority', (db, a, id, i) => setPriority(db, a, id, i)],
  ['supervise', (db, a, id, i) => superviseByHand(db, a, id, i)],
  ['rate', (db, a, id, i) => rate(db, a, id, i)],
  ['follow-up', (db, a, id, i) => followUp(db, a, id, i)],
  ['share-identity', (db, a, id, i) => shareIdentity(db, a, id, i)],
]);
