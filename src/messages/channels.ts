// The channels a message can arrive by, with the names people read; an Open311 message also names its organisation.
import { DEFAULT_LOCALE, type MessageKey, type Translate, translator } from '../i18n/i18n.ts';

export const CHANNELS = {
  web: '网站',
  api: '客户端（App、小程序）',
  sms: '短信',
  open311: 'Open311',
} as const;
export type Channel = keyof typeof CHANNELS;

/** Each channel's name in the catalogues (CHANNELS above holds the Simplified Chinese ones). */
const CHANNEL_KEYS = {
  web: 'workflow.channel.web',
  api: 'workflow.channel.api',
  sms: 'workflow.channel.sms',
  open311: 'workflow.channel.open311',
} as const satisfies Record<Channel, MessageKey>;

/** '短信', or 'Open311 · 某某App' when the key's organisation is known; in `t`'s language (Simplified Chinese by default). */
export function channelLabel(
  channel: string,
  organisation?: string | null,
  t: Translate = translator(DEFAULT_LOCALE),
): string {
  const name = Object.hasOwn(CHANNELS, channel) ? t(CHANNEL_KEYS[channel as Channel]) : channel;
  return organisation ? t('workflow.channel.withOrganisation', { channel: name, organisation }) : name;
}
