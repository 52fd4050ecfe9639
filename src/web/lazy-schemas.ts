// Route schemas compiled at first use. Fastify compiles the validation (Ajv) and serialisation (fast-json-stringify)
// code of every route while the app starts: about half a second for this app, a third of its start-up. Here each is
// compiled at the first request that needs it instead, by the very compilers Fastify uses by default (taken from
// Fastify's own dependencies) with the same options, so requests are validated and answers serialised exactly as
// before; the first request to a route pays a millisecond or two. buildApp's `eagerSchemas` compiles every schema at
// once, through the same code (test/build.test.ts does, so that a schema that cannot compile fails a test, not a
// visitor's first request).
import { createRequire } from 'node:module';
import type { FastifySchemaCompiler, FastifySerializerCompiler, FastifyServerOptions } from 'fastify';

type SchemaController = NonNullable<FastifyServerOptions['schemaController']>;
type ValidationResult = ReturnType<FastifySchemaCompiler<unknown>>;
type Factories = NonNullable<SchemaController['compilersFactory']>;
type ValidatorBuilder = (externalSchemas: unknown, options: unknown) => FastifySchemaCompiler<unknown>;
type SerializerBuilder = (externalSchemas: unknown, options: unknown) => FastifySerializerCompiler<unknown>;

const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));

/** Fastify's `schemaController` option: its default compilers, each schema compiled at first use (or at once). */
export function lazySchemaController({ eager = false }: { eager?: boolean } = {}): SchemaController {
  // The compilers themselves (Ajv and fast-json-stringify) are loaded at the first schema compiled, too.
  let ajvCompilers: ValidatorBuilder | undefined;
  let jsonCompilers: SerializerBuilder | undefined;

  const buildValidator: ValidatorBuilder = (externalSchemas, options) => {
    let compiler: FastifySchemaCompiler<unknown> | undefined;
    return (route) => {
      const compile = () => {
        ajvCompilers ??= (fromFastify('@fastify/ajv-compiler') as () => ValidatorBuilder)();
        compiler ??= ajvCompilers(externalSchemas, options);
        if (route.httpPart === 'headers') assertLowerCaseHeaders(route.schema, `${route.method} ${route.url}`);
        return compiler(route);
      };
      if (eager) return compile();
      let validate: ValidationResult | undefined;
      // Fastify reads the errors of a failed validation from the function it called.
      const lazy: ValidationResult = (data: unknown) => {
        validate ??= compile();
        const result = validate(data);
        lazy.errors = validate.errors;
        return result;
      };
      return lazy;
    };
  };

  const buildSerializer: SerializerBuilder = (externalSchemas, options) => {
    let compiler: FastifySerializerCompiler<unknown> | undefined;
    return (route) => {
      const compile = () => {
        jsonCompilers ??= (fromFastify('@fastify/fast-json-stringify-compiler') as () => SerializerBuilder)();
        return (compiler ??= jsonCompilers(externalSchemas, options))(route);
      };
      if (eager) return compile();
      let serialize: ((data: unknown) => string) | undefined;
      return (data) => (serialize ??= compile())(data);
    };
  };

  return {
    compilersFactory: {
      buildValidator: buildValidator as unknown as Factories['buildValidator'],
      buildSerializer: buildSerializer as unknown as Factories['buildSerializer'],
    },
  };
}

/**
 * Header names arrive in lower case. Fastify lower-cases the names in a header schema itself, but only for its default
 * compiler; a compiler given through `schemaController` gets the schema as written. So a header schema must name its
 * headers in lower case (they all do), and one that does not stops at compile time instead of never matching.
 */
function assertLowerCaseHeaders(schema: unknown, route: string): void {
  if (typeof schema !== 'object' || schema === null) return;
  for (const [key, value] of Object.entries(schema)) {
    const names =
      key === 'properties' && typeof value === 'object' && value !== null && !Array.isArray(value)
        ? Object.keys(value)
        : key === 'required' && Array.isArray(value)
          ? value.filter((v): v is string => typeof v === 'string')
          : [];
    const upper = names.find((name) => name !== name.toLowerCase());
    if (upper !== undefined) throw new Error(`${route}: header "${upper}" must be written in lower case in the schema`);
    assertLowerCaseHeaders(value, route);
  }
}
