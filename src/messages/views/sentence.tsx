// A translated sentence with elements inside it (a link, a time, a name marked as user content): the catalogue keeps
// the whole sentence, so each language puts the elements where its word order wants them.
import { escapeHtml } from '@kitajs/html';

/**
 * `text` is a catalogue text with `{name}` placeholders left in (the translator was given no value for them); each is
 * replaced by the element of that name, and the words between are escaped.
 */
export function Sentence({ text, slots }: { text: string; slots: Record<string, JSX.Element> }): JSX.Element {
  return text
    .split(/\{(\w+)\}/)
    .map((part, i) => {
      if (i % 2 === 0) return escapeHtml(part);
      const slot = slots[part];
      // Components here render synchronously; a placeholder without an element stays visible rather than vanish.
      return typeof slot === 'string' ? slot : escapeHtml(`{${part}}`);
    })
    .join('');
}

/** A piece of what people wrote: never translated, never altered. */
export function UserText({ text, tag = 'span' }: { text: string; tag?: 'span' | 'strong' }): JSX.Element {
  return tag === 'strong' ? (
    <strong translate="no" safe>
      {text}
    </strong>
  ) : (
    <span translate="no" safe>
      {text}
    </span>
  );
}
