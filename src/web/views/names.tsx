// Names in the page's language: a unit's name (a dispatching unit's in English; a name people gave stays as written,
// marked as a proper name), a place, a leader's post.
import type { PageContext } from '../page-context.ts';

export function UnitName({ ctx, name }: { ctx: PageContext; name: string }): JSX.Element {
  return ctx.names.unitKeptAsWritten(name) ? (
    <span translate="no" safe>
      {name}
    </span>
  ) : (
    <span safe>{ctx.names.unit(name)}</span>
  );
}

/** "正定县 · 县长" as the page's language says it: the place and the leader's post of a board. */
export function boardName(ctx: PageContext, regionName: string, title: string): string {
  return `${ctx.names.place(regionName)} · ${ctx.names.post(title)}`;
}

/**
 * A translated sentence with words in it that are not the page's language: the catalogue text is translated with the
 * other parameters and its `{name}` placeholders left in, each then filled with what a person wrote (`user`: marked
 * translate="no") or with a Chinese word the reader must use as it is, such as an SMS keyword (`zh`: marked lang).
 */
export function Sentence({
  text,
  user = {},
  zh = {},
}: {
  text: string;
  user?: Record<string, string>;
  zh?: Record<string, string>;
}): JSX.Element {
  const parts = text.split(/\{(\w+)\}/);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 0 ? (
          <span safe>{part}</span>
        ) : part in user ? (
          <span translate="no" safe>
            {user[part]}
          </span>
        ) : part in zh ? (
          <span lang="zh-CN" safe>
            {zh[part]}
          </span>
        ) : (
          <span safe>{`{${part}}`}</span>
        ),
      )}
    </>
  );
}
