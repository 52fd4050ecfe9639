// The handling actions on the workbench's message page: one compact form each, only those this person may take now.
import type { MessageView } from '../../messages/message-view.ts';
import type { PageContext } from '../../web/page-context.ts';
import { CsrfField, Field, type FormErrors, Submit } from '../../web/views/form.tsx';
import { UnitName } from '../../web/views/names.tsx';
import { Time } from '../../web/views/time.tsx';
import type { Priority } from '../transitions.ts';
import type { WorkbenchActions, WorkbenchDetail } from '../workbench-message.ts';
import { Filled, keptAsWritten, Own, slot } from './staff-parts.tsx';

function ActionForm({
  ctx,
  id,
  action,
  label,
  kind,
  version,
  children,
}: {
  ctx: PageContext;
  id: number;
  action: string;
  label: string;
  kind?: 'primary' | 'secondary' | 'danger';
  /** The message's version this page shows: a step someone else took since makes this one a conflict (409). */
  version?: number;
  children?: JSX.Element;
}): JSX.Element {
  // Children are markup rendered by this file's own components, not text.
  const safeFields = children ?? '';
  return (
    <form method="post" action={`/workbench/messages/${id}/${action}`} class="stack action">
      <CsrfField ctx={ctx} />
      {version === undefined ? '' : <input type="hidden" name="version" value={String(version)} />}
      {safeFields}
      <Submit label={label} kind={kind} />
    </form>
  );
}

/** A less frequent action, folded until needed so the page stays short; works without JavaScript. */
function Folded({ summary, open, children }: { summary: string; open?: boolean; children?: JSX.Element }): JSX.Element {
  // Children are markup rendered by this file's own components, not text.
  const safeContent = children ?? '';
  return (
    <details class="panel folded" open={open}>
      <summary safe>{summary}</summary>
      {safeContent}
    </details>
  );
}

function PrioritySelect({
  ctx,
  value,
  idPrefix,
}: {
  ctx: PageContext;
  value: Priority;
  idPrefix: string;
}): JSX.Element {
  return (
    <div class="field">
      <label for={`${idPrefix}-priority`} safe>
        {ctx.t('wb.act.priority')}
      </label>
      <select id={`${idPrefix}-priority`} name="priority">
        {(['normal', 'urgent'] as const).map((p) => (
          <option value={p} selected={value === p} safe>
            {ctx.t(`wb.priority.${p}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A reply as the approver and the leader read it before acting on it. */
function ReplyText({
  ctx,
  body,
  resolved,
  by,
}: {
  ctx: PageContext;
  body: string;
  resolved: boolean;
  /** Who drafted it: a sentence with the names in it. */
  by: JSX.Element;
}): JSX.Element {
  // `by` is markup made by Filled, its names escaped there.
  const safeBy = by;
  return (
    <>
      <p class="meta">{safeBy}</p>
      <div class="message-body reply-draft" translate="no" safe>
        {body}
      </div>
      <p class="meta" safe>
        {resolved ? ctx.t('wb.act.resolvedYes') : ctx.t('wb.act.resolvedNo')}
      </p>
    </>
  );
}

export function ActionPanels({
  ctx,
  view,
  detail,
  actions,
  errors,
  unsavedReply,
}: {
  ctx: PageContext;
  view: MessageView;
  detail: WorkbenchDetail;
  actions: WorkbenchActions;
  errors?: FormErrors;
  /** This person's reply text, not saved because a colleague saved the draft first. */
  unsavedReply?: string;
}): JSX.Element {
  const { t } = ctx;
  const id = view.id;
  const version = detail.version;
  const any =
    actions.accept ||
    actions.assign ||
    actions.return ||
    actions.requestExtension ||
    actions.decideExtension ||
    actions.draftReply ||
    actions.approveReply ||
    actions.signReply ||
    actions.awaitingSignature ||
    actions.requestSignature ||
    actions.setPriority ||
    actions.supervise ||
    actions.shareIdentity;
  const onlySupervising = actions.supervise && !actions.accept && !actions.draftReply && !actions.approveReply;
  return (
    <div class="wb-actions">
      {any ? '' : <p safe>{t('wb.act.none')}</p>}
      {actions.signReply ? (
        <section class="panel sign" aria-labelledby="sign-heading" id="sign">
          <h3 id="sign-heading" safe>
            {t('wb.act.signHeading')}
          </h3>
          <p>
            <Filled
              text={t('wb.act.signIntro', { unit: slot(0) })}
              parts={[actions.signReply.unit ? <UnitName ctx={ctx} name={actions.signReply.unit} /> : '']}
            />
          </p>
          <ReplyText
            ctx={ctx}
            body={actions.signReply.body}
            resolved={actions.signReply.resolved}
            by={
              <Filled
                text={t('wb.act.draftedBy', { unit: slot(0), name: slot(1) })}
                parts={[
                  actions.signReply.unit ? <UnitName ctx={ctx} name={actions.signReply.unit} /> : '',
                  <Own text={actions.signReply.author ?? '—'} />,
                ]}
              />
            }
          />
          <ActionForm ctx={ctx} id={id} action="sign-reply" version={version} label={t('wb.act.sign')} />
          <ActionForm
            ctx={ctx}
            id={id}
            action="send-back-reply"
            version={version}
            label={t('wb.act.sendBack')}
            kind="danger"
          >
            <Field name="note" label={t('wb.act.sendBackNote')} idPrefix="sb" errors={errors} maxlength={500} />
          </ActionForm>
        </section>
      ) : (
        ''
      )}
      {actions.awaitingSignature ? (
        <p class="notice" safe>
          {t('wb.act.awaitingSign')}
        </p>
      ) : (
        ''
      )}
      {actions.approveReply ? (
        <section class="panel" aria-labelledby="approve-heading">
          <h3 id="approve-heading" safe>
            {t('wb.act.approveHeading')}
          </h3>
          <ReplyText
            ctx={ctx}
            body={actions.approveReply.body}
            resolved={actions.approveReply.resolved}
            by={
              <Filled
                text={t('wb.act.draftedByName', { name: slot(0) })}
                parts={[<Own text={actions.approveReply.author ?? '—'} />]}
              />
            }
          />
          {actions.approveReply.signRequired ? (
            <ActionForm ctx={ctx} id={id} action="approve-reply" version={version} label={t('wb.act.approveToSign')}>
              <>
                <input type="hidden" name="sign" value="1" />
                <p class="hint" safe>
                  {t('wb.act.signRequired')}
                </p>
              </>
            </ActionForm>
          ) : (
            <ActionForm ctx={ctx} id={id} action="approve-reply" version={version} label={t('wb.act.approve')}>
              {actions.approveReply.hasLeader ? (
                <div class="choice">
                  <input type="checkbox" id="ap-sign" name="sign" value="1" />{' '}
                  <label for="ap-sign" safe>
                    {t('wb.act.signCheckbox')}
                  </label>
                </div>
              ) : (
                ''
              )}
            </ActionForm>
          )}
        </section>
      ) : (
        ''
      )}
      {actions.accept ? (
        <ActionForm
          ctx={ctx}
          id={id}
          action="accept"
          version={version}
          label={view.type.key === 'thanks' ? t('wb.act.acknowledge') : t('wb.act.accept')}
        />
      ) : (
        ''
      )}
      {actions.draftReply ? (
        <form method="post" action={`/workbench/messages/${id}/draft-reply`} class="stack panel wide">
          <CsrfField ctx={ctx} />
          <input type="hidden" name="draftVersion" value={String(actions.draftReply.draftVersion)} />
          <h3 safe>{t('wb.act.reply')}</h3>
          {actions.draftReply.sentBackNote ? (
            <p class="flag">
              <Filled
                text={t('wb.act.sentBackNote', { note: slot(0) })}
                parts={[<Own text={actions.draftReply.sentBackNote} />]}
              />
            </p>
          ) : (
            ''
          )}
          {detail.signRequested ? (
            <p class="hint" safe>
              {t('wb.act.signRequiredDraft')}
            </p>
          ) : (
            ''
          )}
          {actions.draftReply.templates.length > 0 ? (
            <p class="meta">
              <span safe>{t('wb.act.templates')}</span>
              {actions.draftReply.templates.map((tpl) => (
                <>
                  {' '}
                  <a href={`/workbench/messages/${id}?template=${tpl.id}`} translate="no" safe>
                    {tpl.title}
                  </a>
                </>
              ))}
            </p>
          ) : (
            ''
          )}
          <div class={errors?.body ? 'field has-error' : 'field'}>
            <label for="f-reply" safe>
              {t('wb.act.replyBody')}
            </label>
            <textarea id="f-reply" name="body" rows="8" translate="no" safe>
              {actions.draftReply.body}
            </textarea>
            {errors?.body ? (
              <p class="error" role="alert" safe>
                {errors.body}
              </p>
            ) : (
              ''
            )}
          </div>
          {unsavedReply === undefined ? (
            ''
          ) : (
            <div class="field">
              <label for="f-unsaved" safe>
                {t('wb.act.unsavedReply')}
              </label>
              <textarea id="f-unsaved" rows="6" readonly translate="no" safe>
                {unsavedReply}
              </textarea>
            </div>
          )}
          <div class="choice">
            <input type="checkbox" id="f-resolved" name="resolved" value="1" checked={actions.draftReply.resolved} />{' '}
            <label for="f-resolved" safe>
              {t('wb.act.resolved')}
            </label>
          </div>
          <div class="actions">
            <button type="submit" class="secondary" name="submit" value="0" safe>
              {t('wb.act.saveDraft')}
            </button>
            <button type="submit" class="primary" name="submit" value="1" safe>
              {t('wb.act.submitReply')}
            </button>
          </div>
        </form>
      ) : (
        ''
      )}
      {!actions.draftReply && unsavedReply !== undefined ? (
        <section class="panel" aria-labelledby="unsaved-heading">
          <h3 id="unsaved-heading" safe>
            {t('wb.act.unsavedReply')}
          </h3>
          <p class="error" role="alert" safe>
            {t('error.CONFLICT')}
          </p>
          <textarea id="f-unsaved" rows="6" readonly aria-labelledby="unsaved-heading" translate="no" safe>
            {unsavedReply}
          </textarea>
        </section>
      ) : (
        ''
      )}
      {actions.assign && actions.assign.units.length > 0 ? (
        <Folded summary={t('wb.act.assign')}>
          <ActionForm ctx={ctx} id={id} action="assign" version={version} label={t('wb.act.assign')} kind="secondary">
            <>
              <div class="field">
                <label for="as-unitId" safe>
                  {t('wb.act.assignTo')}
                </label>
                <select id="as-unitId" name="unitId">
                  {actions.assign.units.map((u) => (
                    <option value={String(u.id)} translate={keptAsWritten(ctx, u.name)} safe>
                      {ctx.names.unit(u.name)}
                    </option>
                  ))}
                </select>
              </div>
              <Field name="note" label={t('wb.act.assignNote')} idPrefix="as" maxlength={500} />
              {actions.assign.canPrioritize ? (
                <PrioritySelect ctx={ctx} value={actions.assign.priority} idPrefix="as" />
              ) : (
                ''
              )}
            </>
          </ActionForm>
        </Folded>
      ) : (
        ''
      )}
      {actions.return ? (
        <Folded summary={t('wb.act.return')} open={Boolean(errors?.reason)}>
          <ActionForm ctx={ctx} id={id} action="return" version={version} label={t('wb.act.return')} kind="danger">
            <>
              <p class="hint">
                <span safe>{t('wb.act.returnUntil')}</span> <Time ctx={ctx} iso={actions.return.until} />
              </p>
              <Field name="reason" label={t('wb.act.returnReason')} idPrefix="rt" errors={errors} maxlength={500} />
            </>
          </ActionForm>
        </Folded>
      ) : (
        ''
      )}
      {actions.requestExtension ? (
        <Folded summary={t('wb.act.requestExtension')} open={Boolean(errors?.days)}>
          <ActionForm
            ctx={ctx}
            id={id}
            action="request-extension"
            version={version}
            label={t('wb.act.requestExtension')}
            kind="secondary"
          >
            <>
              <Field
                name="days"
                label={t('wb.act.extensionDays', { max: actions.requestExtension.maxDays })}
                inputmode="numeric"
                idPrefix="ex"
                errors={errors}
                maxlength={3}
              />
              <Field name="reason" label={t('wb.act.extensionReason')} idPrefix="ex" maxlength={500} />
            </>
          </ActionForm>
        </Folded>
      ) : (
        ''
      )}
      {actions.decideExtension ? (
        <section class="panel" aria-labelledby="ext-heading">
          <h3 id="ext-heading" safe>
            {t('wb.act.extensionHeading')}
          </h3>
          <p>
            <Filled
              text={t('wb.act.extensionAsked', { days: actions.decideExtension.days, reason: slot(0) })}
              parts={[<Own text={actions.decideExtension.reason} />]}
            />
          </p>
          <div class="actions">
            <ActionForm ctx={ctx} id={id} action="decide-extension" label={t('wb.act.grant')} version={version}>
              <>
                <input type="hidden" name="extensionId" value={String(actions.decideExtension.id)} />
                <input type="hidden" name="grant" value="1" />
              </>
            </ActionForm>
            <ActionForm
              ctx={ctx}
              id={id}
              action="decide-extension"
              label={t('wb.act.refuse')}
              kind="danger"
              version={version}
            >
              <>
                <input type="hidden" name="extensionId" value={String(actions.decideExtension.id)} />
                <input type="hidden" name="grant" value="0" />
              </>
            </ActionForm>
          </div>
        </section>
      ) : (
        ''
      )}
      {actions.requestSignature === 'available' ? (
        <section class="panel" aria-labelledby="rs-heading">
          <h3 id="rs-heading" safe>
            {t('wb.act.requestSignatureHeading')}
          </h3>
          <ActionForm
            ctx={ctx}
            id={id}
            action="request-signature"
            version={version}
            label={t('wb.act.requestSignature')}
            kind="secondary"
          >
            <p class="hint" safe>
              {t('wb.act.requestSignatureHint')}
            </p>
          </ActionForm>
        </section>
      ) : actions.requestSignature === 'requested' && !actions.signReply ? (
        <p class="meta" safe>
          {t('wb.act.signRequested')}
        </p>
      ) : (
        ''
      )}
      {actions.setPriority ? (
        <Folded summary={t('wb.act.priorityNow', { priority: t(`wb.priority.${actions.setPriority}`) })}>
          <ActionForm
            ctx={ctx}
            id={id}
            action="set-priority"
            version={version}
            label={t('wb.act.savePriority')}
            kind="secondary"
          >
            <PrioritySelect ctx={ctx} value={actions.setPriority} idPrefix="pr" />
          </ActionForm>
        </Folded>
      ) : (
        ''
      )}
      {actions.supervise ? (
        <Folded summary={t('wb.act.supervise')} open={onlySupervising || Boolean(errors?.dueDate)}>
          <ActionForm ctx={ctx} id={id} action="supervise" label={t('wb.act.superviseSubmit')} kind="secondary">
            <>
              <p class="hint" safe>
                {t('wb.act.superviseHint')}
              </p>
              <Field name="note" label={t('wb.act.superviseNote')} idPrefix="sv" errors={errors} maxlength={500} />
              <Field name="dueDate" type="date" label={t('wb.act.superviseDue')} idPrefix="sv" errors={errors} />
            </>
          </ActionForm>
        </Folded>
      ) : (
        ''
      )}
      {actions.shareIdentity ? (
        <Folded summary={t('wb.act.shareIdentity')}>
          <ActionForm
            ctx={ctx}
            id={id}
            action="share-identity"
            version={version}
            label={t('wb.act.shareIdentity')}
            kind="secondary"
          >
            <p class="hint" safe>
              {t('wb.act.shareIdentityHint')}
            </p>
          </ActionForm>
        </Folded>
      ) : (
        ''
      )}
    </div>
  );
}
