// A translated sentence with elements inside it (a link, a time, a name kept as written): the catalogue keeps the
// whole sentence, so each language puts the elements where its word order wants them.
import { escapeHtml } from '@kitajs/html';

/**
 * `template` with each `{name}` placeholder replaced by `html(name)`, markup put in as it is, and the words between
 * escaped; a placeholder `html` has nothing for stays visible rather than vanish.
 */
export function fillPlaceholders(template: string, html: (name: string) => string | undefined): string {
  return template
    .split(/\{(\w+)\}/)
    .map((part, i) => (i % 2 === 0 ? escapeHtml(part) : (html(part) ?? escapeHtml(`{${part}}`))))
    .join('');
}

/**
 * `text` is a catalogue text with `{name}` placeholders left in (the translator was given no value for them); each is
 * replaced by the element of that name, and the words between are escaped.
 */
export function Sentence({ text, slots }: { text: string; slots: Record<string, JSX.Element> }): JSX.Element {
  // Components here render synchronously: a slot that is not a string (none, or a promise) leaves its placeholder.
  return fillPlaceholders(text, (name) => {
    const slot = slots[name];
    return typeof slot === 'string' ? slot : undefined;
  });
}

/** A piece of what people wrote (a name, a title, a place): never translated, never altered. */
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

/** A link whose text is the page's own words, to be a slot of a Sentence. */
export function Link({ href, text }: { href: string; text: string }): JSX.Element {
  return (
    <a href={href} safe>
      {text}
    </a>
  );
}
