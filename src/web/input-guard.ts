// What no handler may ever see: a NUL byte (PostgreSQL refuses it in text) and integers the validator lets through.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from './app-error.ts';

/** The path (`a.b.0`) of the first string or key in `value` that holds a NUL, or null. */
function nulPath(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [item, path] = stack.pop()!;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return path;
    } else if (item !== null && typeof item === 'object') {
      for (const [key, inner] of Object.entries(item)) {
        const at = path ? `${path}.${key}` : key;
        if (key.includes('\u0000')) return at;
        stack.push([inner, at]);
      }
    }
  }
  return null;
}

function refuseNul(request: FastifyRequest, where: unknown): void {
  const path = nulPath(where);
  if (path === null) return;
  const field = path.replace(/\u0000/g, '\\0');
  throw new AppError('VALIDATION', { detail: request.t('validation.nul', { field }) }, field);
}

interface SchemaNode {
  type?: unknown;
  properties?: Record<string, SchemaNode>;
}

/**
 * Ajv coerces the text `1e309` or `Infinity` to a number for an integer field and then skips the field's bounds, as
 * they only apply to finite numbers: an integer given as text must be spelled in decimal digits.
 */
function refuseLooseIntegers(request: FastifyRequest, schema: SchemaNode | undefined, data: unknown, path = ''): void {
  if (!schema?.properties || data === null || typeof data !== 'object') return;
  for (const [key, property] of Object.entries(schema.properties)) {
    if (!Object.hasOwn(data, key)) continue;
    const value = (data as Record<string, unknown>)[key];
    const field = path ? `${path}.${key}` : key;
    if (property.type === 'integer') {
      const spelled = ([] as unknown[]).concat(value).filter((v) => typeof v === 'string');
      if (spelled.some((v) => !/^-?\d+$/.test(v as string))) {
        throw new AppError('VALIDATION', { detail: request.t('validation.integer', { field }) }, field);
      }
    } else if (property.type === 'object') {
      refuseLooseIntegers(request, property, value, field);
    }
  }
}

async function inputGuard(app: FastifyInstance): Promise<void> {
  // Before the access checks, which look up the caller, the scope and the owner with these values.
  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    refuseNul(request, request.headers);
    refuseNul(request, request.params);
    refuseNul(request, request.query);
  });
  app.addHook('preValidation', async (request) => {
    if (request.is404) return;
    refuseNul(request, request.body);
    const schema = request.routeOptions.schema as Record<string, SchemaNode | undefined> | undefined;
    refuseLooseIntegers(request, schema?.params, request.params);
    refuseLooseIntegers(request, schema?.querystring, request.query);
    refuseLooseIntegers(request, schema?.body, request.body);
  });
}

export default fp(inputGuard, { name: 'input-guard' });
