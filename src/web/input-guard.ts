// What no handler may ever see: a NUL byte (PostgreSQL refuses it in text) and integers the validator lets through.
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
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

/** Refuses a NUL, naming the field it is in (`body` itself for a body that is one string). */
function refuseNul(request: FastifyRequest, where: unknown): void {
  const path = nulPath(where);
  if (path === null) return;
  const field = (path || 'body').replace(/\u0000/g, '\\0');
  throw new AppError('VALIDATION', { detail: request.t('validation.nul', { field }) }, field);
}

/** The validator's own error for the field, so the answer reads exactly as for any other invalid integer. */
function notAnInteger(where: string, field: string): FastifyError {
  const instancePath = `/${field.replace(/\./g, '/')}`;
  const error = new Error(`${where}${instancePath} must be integer`) as FastifyError;
  error.statusCode = 400;
  error.validationContext = where as FastifyError['validationContext'];
  error.validation = [
    { keyword: 'type', instancePath, schemaPath: '', params: { type: 'integer' }, message: 'must be integer' },
  ];
  return error;
}

interface SchemaNode {
  type?: unknown;
  properties?: Record<string, SchemaNode>;
}

/**
 * Ajv coerces the text `1e309` or `Infinity` to a number for an integer field and then skips the field's bounds, as
 * they only apply to finite numbers: an integer given as text must be spelled in decimal digits.
 */
function refuseLooseIntegers(where: string, schema: SchemaNode | undefined, data: unknown, path = ''): void {
  if (!schema?.properties || data === null || typeof data !== 'object') return;
  for (const [key, property] of Object.entries(schema.properties)) {
    if (!Object.hasOwn(data, key)) continue;
    const value = (data as Record<string, unknown>)[key];
    const field = path ? `${path}.${key}` : key;
    if (property.type === 'integer') {
      const spelled = ([] as unknown[]).concat(value).filter((v) => typeof v === 'string');
      if (spelled.some((v) => !/^-?\d+$/.test(v as string))) throw notAnInteger(where, field);
    } else if (property.type === 'object') {
      refuseLooseIntegers(where, property, value, field);
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
    refuseLooseIntegers('params', schema?.params, request.params);
    refuseLooseIntegers('querystring', schema?.querystring, request.query);
    refuseLooseIntegers('body', schema?.body, request.body);
  });
}

export default fp(inputGuard, { name: 'input-guard' });
