// Who may see a message, and the message as each viewer may see it.
import { createHmac } from 'node:crypto';
import type { CurrentUser } from '../accounts/accounts.service.ts';
import { can } from '../accounts/permissions.ts';
import { scopeRepository } from '../accounts/scope.repository.ts';
import { type CaseEvent, caseEventsRepository } from '../audit/case-events.ts';
import type { Db } from '../db/kysely.ts';
import type { Translate } from '../i18n/i18n.ts';
import { secretBox } from '../security/secret-box.ts';
import { AppError } from '../web/app-error.ts';
import {
  DOMAINS,
  type Domain,
  MESSAGE_TYPES,
  type MessageStatus,
  type MessageType,
  REJECT_REASONS,
  type RejectReason,
  STATUSES,
} from './message-kinds.ts';
import { type MessageRow, messagesRepository } from './messages.repository.ts';
import { isCalendarCovered, workingDaysBetween } from '../deadlines/working-days.ts';
import { boardsRepository } from '../boards/boards.repository.ts';
import { logPrivateRead, workflowRepository } from '../workflow/workflow.repository.ts';
import type { MessageFlags } from './submit-message.ts';

/** Statuses that have been published: everyone may read a public message in one of them. */
export const PUBLISHED: readonly MessageStatus[] = ['pending', 'assigned', 'replied', 'closed'];

export type Access = 'public' | 'author' | 'staff';

export interface MessageView {
  id: number;
  boardId: number;
  regionCode: string;
  type: { key: MessageType; label: string };
  domain: { key: Domain; label: string };
  title: string;
  body: string;
  location: string | null;
  visibility: string;
  status: { key: MessageStatus; label: string };
  trackingCode: string | null;
  authorTag: string;
  submittedAt: string;
  approvedAt: string | null;
  duplicateOf: number | null;
  rejectReason: { key: string; label: string; note: string | null } | null;
  attachments: { id: number; type: string; width: number; height: number; isPublic: boolean }[];
  /** The deadline now running, for open messages: shown in public as days left or overdue. */
  deadline: {
    kind: 'accept' | 'handle';
    dueAt: string;
    workingDaysLeft: number;
    overdue: boolean;
    /** Counted past the published holiday schedules, on statutory holidays only (暂按法定节假日计算). */
    provisional: boolean;
  } | null;
  replies: {
    unit: string;
    body: string;
    resolved: boolean;
    signer: string | null;
    publishedAt: string;
    round: number;
  }[];
  ratings: {
    round: number;
    resolution: number;
    timeliness: number;
    attitude: number;
    comment: string | null;
    at: string;
  }[];
  extensionDays: number;
  ratingDueAt: string | null;
  canRate: boolean;
  canFollowUp: boolean;
  /** Only for the author and staff. */
  remarks?: string | null;
  /** A complaint's author is hidden from units other than the dispatching unit until it shares them. */
  identityHidden?: boolean;
  flags?: MessageFlags;
  access: Access;
}

const AUTHOR_PREFIX = '网友';

/** "网友" plus a stable tag: the same author reads the same on every page, and nothing links it to them. */
export function authorTag(secret: string, authorId: number): string {
  return `${AUTHOR_PREFIX}${createHmac('sha256', secret).update(`author:${authorId}`).digest('hex').slice(0, 6)}`;
}

/** An author tag as the page's language says it ("网友3fa9c1" → "User 3fa9c1"); anything else as it is. */
export function authorTagLabel(t: Translate, tag: string): string {
  return tag.startsWith(AUTHOR_PREFIX) ? t('message.author', { handle: tag.slice(AUTHOR_PREFIX.length) }) : tag;
}

function deadlineOf(message: MessageRow): MessageView['deadline'] {
  const due =
    message.status === 'pending' ? message.accept_due_at : message.status === 'assigned' ? message.handle_due_at : null;
  if (!due) return null;
  const now = new Date();
  const overdue = now.getTime() > Date.parse(due);
  return {
    kind: message.status === 'pending' ? 'accept' : 'handle',
    dueAt: due,
    workingDaysLeft: overdue ? 0 : workingDaysBetween(now, new Date(due)),
    overdue,
    provisional: !isCalendarCovered(new Date(due)),
  };
}

/**
 * Complaints (投诉) are often about a unit: its staff must not learn who complained unless the
 * dispatching unit (the board's unit) shares it. Editors and the dispatching unit always see it.
 */
async function identityHiddenFrom(db: Db, viewer: CurrentUser, message: MessageRow): Promise<boolean> {
  if (message.type !== 'complain' || Boolean(message.identity_shared)) return false;
  if (can(viewer.grants, 'message.review')) return false;
  const board = await boardsRepository.essentials(db, message.board_id);
  if (!board) return true;
  return !viewer.grants.some(
    (g) => (g.role === 'unit_staff' || g.role === 'unit_head') && Number(g.scopeId) === board.unit_id,
  );
}

/** How this viewer may see this message: null when they may not see it at all. */
export async function accessFor(db: Db, viewer: CurrentUser | null, message: MessageRow): Promise<Access | null> {
  if (viewer && viewer.id === message.author_id) return 'author';
  if (viewer && can(viewer.grants, 'message.review')) return 'staff';
  // Handling units, leaders and supervisors see a message only once the editor has passed it on to them.
  const passedOn = PUBLISHED.includes(message.status as MessageStatus);
  if (viewer && viewer.grants.length > 0 && passedOn) {
    const board = await boardsRepository.essentials(db, message.board_id);
    const units = [message.current_unit_id, message.assigned_by_unit_id, board?.unit_id ?? null].filter(
      (u): u is number => u !== null,
    );
    for (const unit of units) {
      const target = {
        unitPath: await scopeRepository.unitPath(db, unit),
        regionPath: await scopeRepository.regionPath(db, message.region_code),
      };
      if (can(viewer.grants, 'inbox.read', target)) return 'staff';
    }
    if (can(viewer.grants, 'reply.sign', { boardId: message.board_id })) return 'staff';
  }
  if (message.visibility === 'public' && passedOn) return 'public';
  return null;
}

export async function viewMessage(
  db: Db,
  secret: string,
  viewer: CurrentUser | null,
  id: number,
): Promise<MessageView> {
  const message = await messagesRepository.findById(db, id);
  const access = message ? await accessFor(db, viewer, message) : null;
  if (!message || !access) throw new AppError('MESSAGE_NOT_FOUND', { id });
  const attachments = (await messagesRepository.listAttachments(db, id))
    .filter((a) => access !== 'public' || a.is_public)
    .map((a) => ({ id: a.id, type: a.media_type, width: a.width, height: a.height, isPublic: Boolean(a.is_public) }));
  const type = message.type as MessageType;
  const domain = message.domain as Domain;
  const status = message.status as MessageStatus;
  const view: MessageView = {
    id: message.id,
    boardId: message.board_id,
    regionCode: message.region_code,
    type: { key: type, label: MESSAGE_TYPES[type] },
    domain: { key: domain, label: DOMAINS[domain].label },
    title: message.title,
    body: message.body,
    location: message.location,
    visibility: message.visibility,
    status: { key: status, label: STATUSES[status] },
    trackingCode: access === 'public' ? null : message.tracking_code,
    authorTag: authorTag(secret, message.author_id),
    submittedAt: message.submitted_at,
    approvedAt: message.approved_at,
    duplicateOf: message.duplicate_of,
    rejectReason:
      access !== 'public' && message.reject_reason
        ? {
            key: message.reject_reason,
            label: REJECT_REASONS[message.reject_reason as RejectReason] ?? message.reject_reason,
            note: message.reject_note,
          }
        : null,
    attachments,
    access,
    deadline: deadlineOf(message),
    replies: (await workflowRepository.publishedReplies(db, id)).map((r) => ({
      unit: r.unit_name,
      body: r.body,
      resolved: Boolean(r.resolved),
      signer: r.signer_name,
      publishedAt: r.published_at ?? '',
      round: r.round,
    })),
    ratings: (await workflowRepository.ratings(db, id)).map((r) => ({
      round: r.round,
      resolution: r.resolution,
      timeliness: r.timeliness,
      attitude: r.attitude,
      comment: r.comment,
      at: r.created_at,
    })),
    extensionDays: message.extension_days,
    ratingDueAt: message.rating_due_at,
    canRate: access === 'author' && message.status === 'replied',
    canFollowUp: access === 'author' && message.status === 'replied' && message.follow_ups === 0,
  };
  if (access !== 'public') {
    const hidden = access === 'staff' && viewer !== null && (await identityHiddenFrom(db, viewer, message));
    view.identityHidden = hidden;
    view.remarks =
      hidden || !message.remarks_sealed ? null : secretBox(secret, 'messages').open(message.remarks_sealed);
    view.flags = JSON.parse(message.flags) as MessageFlags;
    if (access === 'staff' && viewer && (message.visibility === 'private' || view.remarks)) {
      await logPrivateRead(db, message.id, viewer.id, message.visibility === 'private' ? 'private-message' : 'remarks');
    }
  }
  return view;
}

/** The case history as this viewer may see it: the public see what happened and when, not internal notes. */
export async function viewEvents(
  db: Db,
  secret: string,
  viewer: CurrentUser | null,
  id: number,
): Promise<{ access: Access; events: CaseEvent[] }> {
  const view = await viewMessage(db, secret, viewer, id);
  return { access: view.access, events: await eventsFor(db, view) };
}

/** The case history of a message already viewed (`viewMessage`), as that viewer may see it. */
export async function eventsFor(db: Db, view: Pick<MessageView, 'id' | 'access'>): Promise<CaseEvent[]> {
  const events = await caseEventsRepository.listForMessage(db, view.id);
  if (view.access !== 'public') return events;
  return events.map((e) => ({ ...e, actorId: null, note: '', data: {} }));
}
