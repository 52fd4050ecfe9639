// One message as the workbench shows it: the board and leader it was written to, its windows (objection, extension)
// and supervision notices, earlier replies on a follow-up, its history in words, and what this person may do now.
import type { CurrentUser } from '../accounts/accounts.service.ts';
import { can, type Target } from '../accounts/permissions.ts';
import { scopeRepository } from '../accounts/scope.repository.ts';
import type { CaseEvent } from '../audit/case-events.ts';
import { boardsRepository } from '../boards/boards.repository.ts';
import type { Db } from '../db/kysely.ts';
import { deadlineFor } from '../deadlines/working-rules.ts';
import type { MessageStatus } from '../messages/message-kinds.ts';
import type { MessageView } from '../messages/message-view.ts';
import { type MessageRow, messagesRepository } from '../messages/messages.repository.ts';
import { recipientsRepository } from './recipients.repository.ts';
import { rulesForRegion } from './rules.service.ts';
import { FROM, isPriority, mayPrioritize, type Priority } from './transitions.ts';
import { unitsRepositoryForWorkflow, workflowRepository } from './workflow.repository.ts';

export interface TimelineEntry {
  at: string;
  kind: string;
  note: string;
  /** Who acted: a staff member's name, the writer's public tag, or null for the system. */
  actor: string | null;
  /** The writer acted (a rating, a follow-up): `actor` is their public tag. */
  byAuthor: boolean;
  unit: string | null;
}

export interface WorkbenchDetail {
  /** The message's version as shown: every form sends it back, so a step someone else took since is a conflict. */
  version: number;
  board: { id: number; title: string; region: string; holder: string | null };
  unit: string | null;
  assignedBy: string | null;
  priority: Priority;
  signRequested: boolean;
  /** The window to return an assigned message to the unit that assigned it; null when it was not assigned. */
  objection: { until: string; days: number; open: boolean } | null;
  extension: { maxDays: number; maxTimes: number; usedDays: number; granted: number };
  supervisions: { manual: boolean; level: number; dueAt: string; createdAt: string; note: string; unit: string }[];
  /** On a follow-up: the replies published before, and the question. */
  earlier: { replies: MessageView['replies']; question: string | null } | null;
  timeline: TimelineEntry[];
}

export interface WorkbenchActions {
  accept: boolean;
  assign: { units: { id: number; name: string }[]; priority: Priority; canPrioritize: boolean } | null;
  return: { until: string } | null;
  requestExtension: { maxDays: number } | null;
  decideExtension: { id: number; days: number; reason: string } | null;
  draftReply: {
    body: string;
    resolved: boolean;
    /** The version of the draft shown (0: none yet): a save over a draft a colleague saved since is refused. */
    draftVersion: number;
    templates: { id: number; title: string; body: string }[];
    /** The leader's note when they sent the reply back. */
    sentBackNote: string | null;
  } | null;
  approveReply: {
    body: string;
    resolved: boolean;
    author: string | null;
    signRequired: boolean;
    hasLeader: boolean;
  } | null;
  signReply: { body: string; resolved: boolean; unit: string | null; author: string | null } | null;
  /** The reply waits for the leader: shown to the unit, which cannot change it meanwhile. */
  awaitingSignature: boolean;
  requestSignature: 'available' | 'requested' | null;
  setPriority: Priority | null;
  supervise: boolean;
  shareIdentity: boolean;
}

async function target(db: Db, unitId: number | null, regionCode: string): Promise<Target> {
  if (unitId === null) return {};
  return {
    unitPath: await scopeRepository.unitPath(db, unitId),
    regionPath: await scopeRepository.regionPath(db, regionCode),
  };
}

async function unitName(db: Db, id: number | null): Promise<string | null> {
  return id === null ? null : ((await workflowRepository.unit(db, id))?.name ?? null);
}

export async function workbenchDetail(
  db: Db,
  view: MessageView,
  events: CaseEvent[],
): Promise<{ message: MessageRow; detail: WorkbenchDetail }> {
  const m = (await messagesRepository.findById(db, view.id))!;
  const board = await boardsRepository.findById(db, m.board_id);
  const region = await db.selectFrom('regions').select('name').where('code', '=', m.region_code).executeTakeFirst();
  const rules = await rulesForRegion(db, m.region_code);
  const extensions = await workflowRepository.extensions(db, m.id);
  const objection =
    m.assigned_by_unit_id !== null && m.assigned_at && m.status === 'assigned'
      ? (() => {
          const until = deadlineFor(new Date(m.assigned_at), rules.objectionDays, rules).toISOString();
          return { until, days: rules.objectionDays, open: Date.now() <= Date.parse(until) };
        })()
      : null;

  const names = await workflowRepository.userNames(db, [
    ...new Set(events.map((e) => e.actorId).filter((id): id is number => id !== null && id !== m.author_id)),
  ]);
  const units = new Map(
    (
      await scopeRepository.unitNames(db, [
        ...new Set(events.map((e) => e.actorUnitId).filter((id): id is number => id !== null)),
      ])
    ).map((u) => [u.id, u.name]),
  );
  const timeline = events.map((e) => ({
    at: e.at,
    kind: e.kind,
    note: e.note,
    // The writer is shown by their public tag only: a complainant stays hidden from the units named.
    actor: e.actorId === null ? null : e.actorId === m.author_id ? view.authorTag : (names.get(e.actorId) ?? null),
    byAuthor: e.actorId !== null && e.actorId === m.author_id,
    unit: e.actorUnitId === null ? null : (units.get(e.actorUnitId) ?? null),
  }));
  const questions = events.filter((e) => e.kind === 'follow-up');

  return {
    message: m,
    detail: {
      version: m.version,
      board: {
        id: m.board_id,
        title: board?.title ?? '',
        region: region?.name ?? '',
        holder: board?.holder_name ?? null,
      },
      unit: await unitName(db, m.current_unit_id),
      assignedBy: await unitName(db, m.assigned_by_unit_id),
      priority: isPriority(m.priority) ? m.priority : 'normal',
      signRequested: Boolean(m.sign_requested),
      objection,
      extension: {
        maxDays: rules.extensionMaxDays,
        maxTimes: rules.maxExtensions,
        usedDays: m.extension_days,
        granted: extensions.filter((e) => e.status === 'granted').length,
      },
      supervisions: (await workflowRepository.supervisionsWithUnits(db, m.id)).map((s) => ({
        manual: s.deadline === 'manual',
        level: s.level,
        dueAt: s.due_at,
        createdAt: s.created_at,
        note: s.note,
        unit: s.unit_name,
      })),
      earlier: m.follow_ups > 0 ? { replies: view.replies, question: questions.at(-1)?.note ?? null } : null,
      timeline,
    },
  };
}

/** Which actions this person may take on this message now, so the page offers only those. */
export async function availableActions(
  db: Db,
  user: CurrentUser,
  m: MessageRow,
  detail: WorkbenchDetail,
  templateId?: number,
): Promise<WorkbenchActions> {
  const here = await target(db, m.current_unit_id, m.region_code);
  const ok = (action: string) => (FROM[action] ?? []).includes(m.status as MessageStatus);
  const reply = await workflowRepository.latestReply(db, m.id);
  // The round's unpublished reply: the one a save writes over.
  const open = await workflowRepository.openReply(db, m.id, m.follow_ups + 1);
  const extension = (await workflowRepository.extensions(db, m.id)).find((e) => e.status === 'pending');
  const board = await boardsRepository.essentials(db, m.board_id);
  const templates = m.current_unit_id ? await workflowRepository.templates(db, m.current_unit_id) : [];
  const chosen = templates.find((t) => t.id === templateId);
  const replyAuthor = reply
    ? ((await workflowRepository.userNames(db, [reply.author_id])).get(reply.author_id) ?? null)
    : null;
  const sentBack = detail.timeline.filter((e) => e.kind === 'send-back-reply').at(-1);
  const leader = can(user.grants, 'reply.sign', { boardId: m.board_id });
  const canPrioritize = await mayPrioritize(db, user, m);
  const unitCan = (action: Parameters<typeof can>[1]) => can(user.grants, action, here);
  return {
    accept: ok('accept') && unitCan('message.accept'),
    assign:
      ok('assign') && unitCan('message.assign')
        ? {
            units: await unitsRepositoryForWorkflow.children(db, m.current_unit_id!),
            priority: detail.priority,
            canPrioritize,
          }
        : null,
    return:
      ok('return') && detail.objection?.open && unitCan('message.return') ? { until: detail.objection.until } : null,
    requestExtension:
      ok('request-extension') &&
      !extension &&
      detail.extension.granted < detail.extension.maxTimes &&
      unitCan('extension.request')
        ? { maxDays: detail.extension.maxDays }
        : null,
    decideExtension:
      ok('decide-extension') &&
      extension &&
      can(user.grants, 'extension.decide', await target(db, m.assigned_by_unit_id ?? m.current_unit_id, m.region_code))
        ? { id: extension.id, days: extension.days, reason: extension.reason }
        : null,
    draftReply:
      ok('draft-reply') &&
      unitCan('reply.draft') &&
      reply?.status !== 'pending_approval' &&
      reply?.status !== 'pending_sign'
        ? {
            body: chosen?.body ?? (open?.status === 'draft' ? open.body : ''),
            resolved: Boolean(reply?.resolved),
            draftVersion: open?.version ?? 0,
            templates,
            sentBackNote: reply?.status === 'draft' && sentBack ? sentBack.note : null,
          }
        : null,
    approveReply:
      ok('approve-reply') && reply?.status === 'pending_approval' && unitCan('reply.approve')
        ? {
            body: reply.body,
            resolved: Boolean(reply.resolved),
            author: replyAuthor,
            signRequired: detail.signRequested,
            hasLeader: (await recipientsRepository.boardLeaders(db, m.board_id)).length > 0,
          }
        : null,
    signReply:
      ok('sign-reply') && reply?.status === 'pending_sign' && leader
        ? { body: reply.body, resolved: Boolean(reply.resolved), unit: detail.unit, author: replyAuthor }
        : null,
    awaitingSignature: reply?.status === 'pending_sign' && !leader,
    // While a reply waits for this leader, the sign panel says it all.
    requestSignature:
      leader && ok('request-signature') && reply?.status !== 'pending_sign'
        ? detail.signRequested
          ? 'requested'
          : 'available'
        : null,
    setPriority: ok('set-priority') && canPrioritize ? detail.priority : null,
    supervise: ok('supervise') && m.current_unit_id !== null && can(user.grants, 'supervision.issue', here),
    shareIdentity:
      m.type === 'complain' &&
      !m.identity_shared &&
      can(user.grants, 'message.assign', await target(db, board?.unit_id ?? null, m.region_code)),
  };
}
