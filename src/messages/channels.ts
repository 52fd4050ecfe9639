// The channels a message can arrive by, with the names people read; an Open311 message also names its organisation.

export const CHANNELS = {
  web: '网站',
  api: '客户端（App、小程序）',
  sms: '短信',
  open311: 'Open311',
} as const;
export type Channel = keyof typeof CHANNELS;

/** '短信', or 'Open311 · 某某App' when the key's organisation is known. */
export function channelLabel(channel: string, organisation?: string | null): string {
  const name = Object.hasOwn(CHANNELS, channel) ? CHANNELS[channel as Channel] : channel;
  return organisation ? `${name} · ${organisation}` : name;
}
