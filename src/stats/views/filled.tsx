// A catalogue text with markup in its placeholders (a link, a time, a name kept as written): the catalogue keeps the
// whole sentence, so each language puts the parts where its word order wants them.
import { escapeHtml } from '@kitajs/html';

/**
 * `text` is a catalogue text whose `{name}` placeholders were left in (the translator was given no value for them):
 * each is replaced by the markup of that name, and the words between are escaped.
 */
export function Filled({ text, parts }: { text: string; parts: Record<string, JSX.Element> }): JSX.Element {
  return text
    .split(/\{(\w+)\}/)
    .map((piece, i) => {
      if (i % 2 === 0) return escapeHtml(piece);
      const part = parts[piece];
      // The parts render synchronously; a placeholder without its part stays visible rather than vanish.
      return typeof part === 'string' ? part : escapeHtml(`{${piece}}`);
    })
    .join('');
}

/** A name as written (a unit named by people, a person, an issuing body): never translated, marked as such. */
export function AsWritten({ text }: { text: string }): JSX.Element {
  return (
    <span translate="no" safe>
      {text}
    </span>
  );
}
