// A grant's scope (the platform, a unit, a region or a board) as the page's language names it, looked up once a page.
import { scopeRepository } from '../accounts/scope.repository.ts';
import { boardsRepository } from '../boards/boards.repository.ts';
import type { Db } from '../db/kysely.ts';
import type { Translate } from '../i18n/i18n.ts';
import type { Names } from '../i18n/place-names.ts';
import { regionsRepository } from '../regions/regions.repository.ts';
import { markup, type Markup, unitParam } from './views/sentence.ts';

export type ScopeRef =
  | { kind: 'global' }
  | { kind: 'unit'; id: string; name: string | null }
  | { kind: 'region'; id: string; name: string | null }
  | { kind: 'board'; id: string; region: string | null; title: string | null };

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
const isId = (id: string) => /^[1-9]\d{0,9}$/.test(id) && Number(id) <= 2147483647;

/** What a grant's scope type and id point at, with the names the database holds (null when it is gone). */
export async function scopeRef(db: Db, type: unknown, rawId: unknown): Promise<ScopeRef> {
  const id = str(rawId);
  if (type === 'unit') {
    const [unit] = isId(id) ? await scopeRepository.unitNames(db, [Number(id)]) : [];
    return { kind: 'unit', id, name: unit?.name ?? null };
  }
  if (type === 'region') {
    const region = /^\d{6}$/.test(id) ? await regionsRepository.findByCode(db, id) : undefined;
    return { kind: 'region', id, name: region?.name ?? null };
  }
  if (type === 'board') {
    const board = isId(id) ? await boardsRepository.essentials(db, Number(id)) : undefined;
    const region = board ? await regionsRepository.findByCode(db, board.region_code) : undefined;
    return { kind: 'board', id, region: region?.name ?? null, title: board?.title ?? null };
  }
  return { kind: 'global' };
}

/** The scope as a sentence parameter: "Supervision Office of Zhengding County (130123001)", "Platform-wide". */
export function scopeLabel(t: Translate, names: Names, ref: ScopeRef): Markup {
  switch (ref.kind) {
    case 'global':
      return markup(t, 'admin.scope.global', {});
    case 'unit':
      return ref.name === null
        ? markup(t, 'admin.scope.missing', { id: ref.id })
        : markup(t, 'admin.scope.withId', { name: unitParam(names, ref.name), id: ref.id });
    case 'region':
      return ref.name === null
        ? markup(t, 'admin.scope.missing', { id: ref.id })
        : markup(t, 'admin.scope.withId', { name: names.place(ref.name), id: ref.id });
    case 'board':
      return ref.region === null || ref.title === null
        ? markup(t, 'admin.scope.missing', { id: ref.id })
        : markup(t, 'admin.scope.withId', {
            name: `${names.place(ref.region)} · ${names.post(ref.title)}`,
            id: ref.id,
          });
  }
}

/** Scopes named in one page, each looked up once. */
export class ScopeNames {
  private readonly cache = new Map<string, Promise<ScopeRef>>();
  constructor(
    private readonly db: Db,
    private readonly t: Translate,
    private readonly names: Names,
  ) {}

  async of(type: unknown, id: unknown): Promise<Markup> {
    const key = `${str(type)}:${str(id)}`;
    let ref = this.cache.get(key);
    if (!ref) {
      ref = scopeRef(this.db, type, id);
      this.cache.set(key, ref);
    }
    return scopeLabel(this.t, this.names, await ref);
  }
}
