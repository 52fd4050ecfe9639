// HTTP for deadline rules per region: the admin page that sets a region's own override, and the public rules API.
import { requireUser } from '../accounts/auth.plugin.ts';
import { permission, PUBLIC } from '../web/access.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { adminLogRepository } from '../accounts/admin-log.repository.ts';
import { RegionCodeParams, RegionSummary, errorResponses } from '../api/schemas.ts';
import type { Db } from '../db/kysely.ts';
import type { MessageKey, Translate } from '../i18n/i18n.ts';
import { resolveRules, type RulesOverride, validateOverride, type WorkingRules } from '../deadlines/working-rules.ts';
import { regionsRepository } from '../regions/regions.repository.ts';
import { getAncestors, getRegion, listProvinces, type Region } from '../regions/regions.service.ts';
import { AppError } from '../web/app-error.ts';
import { pageContext, sendPage } from '../web/render.ts';
import type { FormErrors } from '../web/views/form.tsx';
import { ownOverride, setOverride } from '../workflow/rules.service.ts';
import {
  fieldValue,
  RULE_FIELDS,
  type RegionRef,
  type RegionRulesView,
  type RuleField,
  type RuleSource,
  RulesPage,
} from './views/rules-page.tsx';

// The rules of a region explained: every level of its chain, and for each value where it comes from.

export interface RulesLevel {
  region: RegionRef;
  override: RulesOverride;
}

export interface ExplainedRules {
  rules: WorkingRules;
  sources: Record<RuleField, RuleSource>;
}

/**
 * Resolves the chain (province first) one level at a time, as resolveRules does, noting for every field the
 * level that last set it: a level's preset claims every field, then its own values claim theirs.
 */
export function explainRules(levels: RulesLevel[]): ExplainedRules {
  const sources = Object.fromEntries(RULE_FIELDS.map((f) => [f.field, { kind: 'default' }])) as Record<
    RuleField,
    RuleSource
  >;
  for (const { region, override } of levels) {
    if (override.preset !== undefined) {
      for (const { field } of RULE_FIELDS) sources[field] = { kind: 'preset', preset: override.preset, region };
    }
    for (const { field } of RULE_FIELDS) {
      if (fieldValue(override, field) !== undefined) sources[field] = { kind: 'region', region };
    }
  }
  return { rules: resolveRules(levels.map((l) => l.override)), sources };
}

/** An override without one field: what "leave it empty" means. */
function withoutField(override: RulesOverride, field: RuleField): RulesOverride {
  const copy: RulesOverride = { ...override, handlingDays: override.handlingDays && { ...override.handlingDays } };
  if (field.startsWith('handlingDays.'))
    delete copy.handlingDays?.[field.slice(13) as keyof WorkingRules['handlingDays']];
  else delete copy[field as Exclude<RuleField, `handlingDays.${string}`>];
  if (copy.handlingDays === undefined) delete copy.handlingDays;
  return copy;
}

export interface RegionRules extends ExplainedRules {
  region: Region;
  /** Province first, down to the region's parent. */
  ancestors: Region[];
  /** Every level from the province down to the region itself, with its own override ({} when none). */
  levels: RulesLevel[];
  /** The region's own override. */
  own: RulesOverride;
}

/** The rules in force for a region, explained. Throws REGION_NOT_FOUND. */
export async function loadRegionRules(db: Db, code: string): Promise<RegionRules> {
  const region = await getRegion(db, code);
  const ancestors = await getAncestors(db, region);
  const levels: RulesLevel[] = [];
  for (const r of [...ancestors, region]) {
    levels.push({ region: { code: r.code, name: r.name }, override: await ownOverride(db, r.code) });
  }
  return { region, ancestors, levels, own: levels.at(-1)!.override, ...explainRules(levels) };
}

export function isEmptyOverride(override: RulesOverride): boolean {
  return RULE_FIELDS.every(({ field }) => fieldValue(override, field) === undefined) && override.preset === undefined;
}

// Form fields ↔ override.

const NUMBER_FIELDS = RULE_FIELDS.filter((f) => ['hours', 'days', 'times'].includes(f.kind)).map((f) => f.field);

/**
 * The override a submitted form asks for: empty fields are left out (inherit), whole numbers become numbers
 * (full-width digits accepted), anything else is passed on as typed so that validation names it.
 */
export function overrideFromForm(body: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const handling: Record<string, unknown> = {};
  const text = (name: string) => (body[name] ?? '').trim();
  for (const name of ['preset', 'dayKind', 'documentTitle', 'documentUrl']) {
    if (text(name) !== '') out[name] = text(name);
  }
  for (const field of NUMBER_FIELDS) {
    const raw = text(field).normalize('NFKC');
    if (raw === '') continue;
    const value = /^[+-]?\d{1,9}$/.test(raw) ? Number(raw) : raw;
    if (field.startsWith('handlingDays.')) handling[field.slice(13)] = value;
    else out[field] = value;
  }
  if (Object.keys(handling).length > 0) out.handlingDays = handling;
  return out;
}

/** Every field's error at once (validateOverride stops at the first), keyed by form field name. */
export function overrideErrors(input: Record<string, unknown>, t?: Translate): FormErrors {
  const errors: FormErrors = {};
  for (const [key, value] of Object.entries(input)) {
    const parts =
      key === 'handlingDays'
        ? Object.entries(value as Record<string, unknown>).map(([type, days]) => ({ handlingDays: { [type]: days } }))
        : [{ [key]: value }];
    for (const part of parts) {
      const checked = validateOverride(part, t);
      if (!checked.ok) errors[checked.field || '_form'] ??= checked.message;
    }
  }
  return errors;
}

/** The form filled in from a saved override. */
export function formFromOverride(override: RulesOverride): Record<string, string> {
  const values: Record<string, string> = {};
  if (override.preset) values.preset = override.preset;
  for (const { field } of RULE_FIELDS) {
    const value = fieldValue(override, field);
    if (value !== undefined && value !== null) values[field] = String(value);
  }
  return values;
}

/** What was typed, to show again: string fields only, no token. */
function typedValues(body: Record<string, string>): Record<string, string> {
  const fields = new Set<string>(['preset', ...RULE_FIELDS.map((f) => f.field)]);
  return Object.fromEntries(Object.entries(body).filter(([k, v]) => fields.has(k) && typeof v === 'string'));
}

// JSON shapes of the public API.

const Count = Type.Integer({ minimum: 0 });
const DayKind = Type.Union([Type.Literal('working'), Type.Literal('calendar')], {
  description: 'working（工作日）或 calendar（自然日）',
});
const Text = Type.Union([Type.String(), Type.Null()]);

export const WorkingRulesBody = Type.Object({
  dayKind: DayKind,
  reviewHours: Count,
  acceptDays: Count,
  handlingDays: Type.Object({ consult: Count, suggest: Count, complain: Count, help: Count, thanks: Count }),
  extensionMaxDays: Count,
  maxExtensions: Count,
  objectionDays: Count,
  ratingDays: Count,
  escalationDays: Count,
  documentTitle: Text,
  documentUrl: Text,
});

export const RulesOverrideBody = Type.Object({
  preset: Type.Optional(Type.Union([Type.Literal('default'), Type.Literal('xinfang')])),
  dayKind: Type.Optional(DayKind),
  reviewHours: Type.Optional(Count),
  acceptDays: Type.Optional(Count),
  handlingDays: Type.Optional(
    Type.Object({
      consult: Type.Optional(Count),
      suggest: Type.Optional(Count),
      complain: Type.Optional(Count),
      help: Type.Optional(Count),
      thanks: Type.Optional(Count),
    }),
  ),
  extensionMaxDays: Type.Optional(Count),
  maxExtensions: Type.Optional(Count),
  objectionDays: Type.Optional(Count),
  ratingDays: Type.Optional(Count),
  escalationDays: Type.Optional(Count),
  documentTitle: Type.Optional(Text),
  documentUrl: Type.Optional(Text),
});

export const RegionRulesBody = Type.Object({
  region: RegionSummary,
  rules: WorkingRulesBody,
  own: RulesOverrideBody,
});

// Routes.

const FormBody = Type.Record(Type.String(), Type.String({ maxLength: 5000 }));

/** Notices after a redirect: only these, so a link cannot make the page say anything. */
const NOTICES: Record<string, MessageKey> = {
  saved: 'rules.done.saved',
  cleared: 'rules.done.cleared',
};

export const rulesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app;

  async function view(code: string): Promise<{ data: RegionRules; view: RegionRulesView }> {
    const data = await loadRegionRules(db, code);
    const children = await regionsRepository.listChildren(db, code);
    const childViews = await Promise.all(
      children.map(async (c) => ({
        ...(await getRegion(db, c.code)),
        hasOverride: !isEmptyOverride(await ownOverride(db, c.code)),
      })),
    );
    const parentLevels = data.levels.slice(0, -1);
    const inherited = Object.fromEntries(
      RULE_FIELDS.map(({ field }) => {
        const explained = explainRules([
          ...parentLevels,
          { region: data.levels.at(-1)!.region, override: withoutField(data.own, field) },
        ]);
        return [field, { value: fieldValue(explained.rules, field) ?? null, source: explained.sources[field] }];
      }),
    ) as RegionRulesView['inherited'];
    return {
      data,
      view: {
        region: data.region,
        ancestors: data.ancestors,
        children: childViews,
        rules: data.rules,
        rows: RULE_FIELDS.map(({ field }) => ({
          field,
          value: fieldValue(data.rules, field) ?? null,
          source: data.sources[field],
        })),
        ownIsEmpty: isEmptyOverride(data.own),
        inherited,
      },
    };
  }

  async function regionPage(
    request: FastifyRequest,
    reply: FastifyReply,
    code: string,
    state: { values?: Record<string, string>; errors?: FormErrors; notice?: string } = {},
    status = 200,
  ) {
    const { data, view: pageView } = await view(code);
    return sendPage(
      reply,
      RulesPage({
        ctx: pageContext(request, reply),
        provinces: [],
        view: pageView,
        values: state.values ?? formFromOverride(data.own),
        errors: state.errors,
        notice: state.notice,
      }),
      status,
    );
  }

  app.get(
    '/admin/rules',
    {
      config: { access: permission('rules.manage') },
      schema: {
        querystring: Type.Object({
          region: Type.Optional(Type.String({ maxLength: 100 })),
          done: Type.Optional(Type.String({ maxLength: 20 })),
        }),
      },
    },
    async (request, reply) => {
      const code = (request.query.region ?? '').trim().normalize('NFKC');
      const notice =
        request.query.done && Object.hasOwn(NOTICES, request.query.done)
          ? request.t(NOTICES[request.query.done]!)
          : undefined;
      const picker = async (pickError?: string, status = 200) =>
        sendPage(
          reply,
          RulesPage({
            ctx: pageContext(request, reply),
            provinces: await listProvinces(db),
            pickedCode: code.slice(0, 6),
            pickError,
            notice,
          }),
          status,
        );
      if (code === '') return picker();
      if (!/^\d{6}$/.test(code)) return picker(request.t('validation.regionCode'), 400);
      try {
        return await regionPage(request, reply, code, { notice });
      } catch (err) {
        if (err instanceof AppError && err.code === 'REGION_NOT_FOUND')
          return picker(request.t(err.messageKey, err.params), 404);
        throw err;
      }
    },
  );

  app.post(
    '/admin/rules/:code',
    { config: { access: permission('rules.manage') }, schema: { params: RegionCodeParams, body: FormBody } },
    async (request, reply) => {
      const { code } = request.params;
      await getRegion(db, code); // 404 before anything else
      const input = overrideFromForm(request.body);
      const errors = overrideErrors(input, request.t);
      if (Object.keys(errors).length === 0) {
        try {
          const saved = await setOverride(db, code, input, requireUser(request));
          await logChange(request, code, saved);
          return reply.redirect(`/admin/rules?region=${code}&done=saved`, 303);
        } catch (err) {
          if (!(err instanceof AppError) || err.code !== 'VALIDATION') throw err;
          errors[err.field || '_form'] = String(err.params.detail ?? request.t(err.messageKey, err.params));
        }
      }
      return regionPage(request, reply, code, { values: typedValues(request.body), errors }, 400);
    },
  );

  app.post(
    '/admin/rules/:code/clear',
    { config: { access: permission('rules.manage') }, schema: { params: RegionCodeParams } },
    async (request, reply) => {
      const { code } = request.params;
      const saved = await setOverride(db, code, {}, requireUser(request));
      await logChange(request, code, saved);
      return reply.redirect(`/admin/rules?region=${code}&done=cleared`, 303);
    },
  );

  async function logChange(request: FastifyRequest, code: string, override: RulesOverride) {
    await adminLogRepository.append(db, {
      actorId: request.user!.id,
      action: 'settings.change',
      targetUserId: null,
      detail: { workingRules: code, override },
      ip: request.ip,
    });
  }

  app.get(
    '/api/v1/regions/:code/rules',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['regions'],
        summary: '地区的办理时限：现行规则（默认、上级与本级设置叠加）与本级自己的设置',
        params: RegionCodeParams,
        response: { 200: RegionRulesBody, ...errorResponses },
      },
    },
    async (request) => {
      const data = await loadRegionRules(db, request.params.code);
      return { region: data.region, rules: data.rules, own: data.own };
    },
  );
};
