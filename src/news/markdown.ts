// Articles' Markdown as HTML a page may carry: parsed by `marked`, then everything not on the list is removed by
// `sanitize-html` — scripts, event handlers, styles, frames, and any link or image that is not the platform's own.
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

const parser = new Marked({ gfm: true, breaks: true, async: false });

/** An image an editor uploaded to an article (`/news/images/12`), optionally a display copy (`?w=1280`). */
export const ARTICLE_IMAGE_SRC = /^\/news\/images\/[1-9]\d{0,9}(?:\?w=(?:360|1280))?$/;

/** A link to the web (http, https) or within the site (`/path`, `#part`): never `//host` or `/\host`. */
function safeHref(href: string | undefined): string | undefined {
  const value = (href ?? '').trim();
  if (/^https?:\/\/[^\s/\\]/i.test(value)) return value;
  if (/^\/(?![/\\])/.test(value) || value.startsWith('#')) return value;
  return undefined;
}

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'p',
    'br',
    'hr',
    'ul',
    'ol',
    'li',
    'a',
    'em',
    'strong',
    'del',
    'blockquote',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'img',
    'code',
    'pre',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'loading'],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
  },
  allowedSchemes: ['http', 'https'],
  // Images only from the platform's own uploads: no scheme at all, and the path is checked below.
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // The page's title is its one h1.
    h1: 'h2',
    a: (tagName, attribs) => {
      const href = safeHref(attribs.href);
      return {
        tagName,
        attribs: { ...(href ? { href } : {}), ...(attribs.title ? { title: attribs.title } : {}), rel: 'noopener' },
      };
    },
    img: (tagName, attribs) => {
      // A plain upload shows as its screen-sized copy: a full-size original would be heavy on a phone.
      const src = attribs.src && !attribs.src.includes('?') ? `${attribs.src}?w=1280` : attribs.src;
      return { tagName, attribs: { ...attribs, ...(src ? { src } : {}), loading: 'lazy' } };
    },
  },
  exclusiveFilter: (frame) => frame.tag === 'img' && !ARTICLE_IMAGE_SRC.test(frame.attribs.src ?? ''),
};

/** The article's body as sanitised HTML. */
export function renderMarkdown(source: string): string {
  return sanitizeHtml(parser.parse(source) as string, OPTIONS);
}

const TEXT_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** The article's text without markup, whitespace folded: for summaries and feeds. */
export function markdownText(source: string): string {
  const text = sanitizeHtml(renderMarkdown(source), { allowedTags: [], allowedAttributes: {} });
  return text
    .replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => TEXT_ENTITIES[e]!)
    .replace(/\s+/g, ' ')
    .trim();
}

/** The first characters of the text, cut at a whole character with an ellipsis when longer. */
export function excerpt(text: string, max = 120): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}
