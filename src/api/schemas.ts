// JSON shapes of the public API: one TypeBox schema gives validation, types and OpenAPI.
import Type from 'typebox';
import { INT_MAX } from '../db/ids.ts';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: '稳定的错误代码，如 REGION_NOT_FOUND' }),
      message: Type.String({ description: '面向用户的中文说明' }),
      fields: Type.Optional(
        Type.Array(Type.Object({ field: Type.Optional(Type.String()), code: Type.String(), message: Type.String() }), {
          description: '表单校验失败时，每个字段各自的错误',
        }),
      ),
    }),
  },
  { $id: 'ErrorBody', description: '错误' },
);

export const RegionCodeParams = Type.Object({
  code: Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 六位地区代码' }),
});

/** An id in a path, query or body: a positive integer that fits the database's `integer` columns. */
export const Id = (options: { description?: string } = {}) =>
  Type.Integer({ minimum: 1, maximum: INT_MAX, ...options });

/** `/things/:id` */
export const IdParams = Type.Object({ id: Id() });

/** How many items one page of an API list holds: 1 to `max`, `fallback` when not asked. */
export const Limit = (max: number, fallback: number) =>
  Type.Integer({ minimum: 1, maximum: max, default: fallback, description: `条数（1–${max}，默认 ${fallback}）` });

export const BoardIdParams = Type.Object({ id: Id({ description: '留言板编号' }) });

const Level = Type.Union([Type.Literal('province'), Type.Literal('city'), Type.Literal('county')]);

export const RegionSummary = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Level,
  kind: Type.String(),
  kindLabel: Type.String(),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  hasBoards: Type.Boolean(),
});

export const UnitSummary = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: Type.String(),
  kindLabel: Type.String(),
  level: Level,
  regionCode: Type.String(),
  parentId: Type.Union([Type.Integer(), Type.Null()]),
  responsibilities: Type.String(),
});

export const BoardSummary = Type.Object({
  id: Type.Integer(),
  regionCode: Type.String(),
  post: Type.String({ description: 'party（党委书记）、government（政府首长）或 chief_executive（特区行政长官）' }),
  title: Type.String(),
  holderName: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  unit: Type.Object({ id: Type.Integer(), name: Type.String(), responsibilities: Type.String() }),
});

export const RegionDetailBody = Type.Object({
  region: RegionSummary,
  ancestors: Type.Array(RegionSummary),
  boards: Type.Array(BoardSummary),
  units: Type.Array(UnitSummary),
  children: Type.Array(RegionSummary),
});

export const RegionListBody = Type.Object({ regions: Type.Array(RegionSummary) });

export const BoardDetailBody = Type.Object({
  board: BoardSummary,
  region: RegionSummary,
  ancestors: Type.Array(RegionSummary),
});

/** Error responses every API route can give. */
export const errorResponses = {
  400: ErrorBody,
  404: ErrorBody,
  500: ErrorBody,
};
