// The posting rules: what a good message is, how it is handled and in what time, and every reason an editor may
// decline to publish one (the same list the editor chooses from).
import type { PageContext } from '../../web/page-context.ts';
import { Layout } from '../../web/views/layout.tsx';
import {
  type Domain,
  DOMAINS,
  MESSAGE_TYPES,
  type MessageType,
  REJECT_REASONS,
  type RejectReason,
} from '../message-kinds.ts';
import { domainLabel, rejectReasonLabel, typeLabel } from '../message-labels.ts';

export function PostingRulesPage({ ctx }: { ctx: PageContext }): JSX.Element {
  const { t } = ctx;
  const list = (items: string[]) => items.join(t('citizen.listSeparator'));
  const types = list((Object.keys(MESSAGE_TYPES) as MessageType[]).map((k) => typeLabel(t, k)));
  const domains = list((Object.keys(DOMAINS) as Domain[]).map((k) => domainLabel(t, k)));
  return (
    <Layout
      ctx={ctx}
      title={t('postingRules.title')}
      crumbs={[{ label: t('nav.home'), href: '/' }, { label: t('postingRules.title') }]}
    >
      <h1 safe>{t('postingRules.title')}</h1>
      <section aria-labelledby="how-heading">
        <h2 id="how-heading" safe>
          {t('postingRules.how')}
        </h2>
        <ul>
          <li safe>{t('postingRules.how.board')}</li>
          <li safe>{t('postingRules.how.oneMatter')}</li>
          <li safe>{t('postingRules.how.remarks')}</li>
          <li safe>{t('postingRules.how.private')}</li>
          <li safe>{t('postingRules.how.kinds', { types, domains })}</li>
        </ul>
      </section>
      <section aria-labelledby="flow-heading">
        <h2 id="flow-heading" safe>
          {t('postingRules.flow')}
        </h2>
        <ol>
          <li safe>{t('postingRules.flow.review')}</li>
          <li safe>{t('postingRules.flow.accept')}</li>
          <li safe>{t('postingRules.flow.reply')}</li>
          <li safe>{t('postingRules.flow.rate')}</li>
        </ol>
        <p class="hint" safe>
          {t('postingRules.flow.local')}
        </p>
      </section>
      <section aria-labelledby="reasons-heading">
        <h2 id="reasons-heading" safe>
          {t('postingRules.reasons')}
        </h2>
        <p safe>{t('postingRules.reasons.intro')}</p>
        <ol id="reject-reasons">
          {(Object.keys(REJECT_REASONS) as RejectReason[]).map((reason) => (
            <li safe>{rejectReasonLabel(t, reason)}</li>
          ))}
        </ol>
      </section>
    </Layout>
  );
}
