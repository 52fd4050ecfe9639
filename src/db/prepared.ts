// Queries built and compiled once per database handle and then run with new values: for the few that every request
// runs (the session, the signed-in account), where building a Kysely query costs more than the database takes to answer.
import type { CompiledQuery } from 'kysely';
import type { Db } from './kysely.ts';

interface Compilable<Row> {
  compile(): CompiledQuery<Row>;
}

/**
 * A query whose values are its arguments. `build` is called once per handle with `sample` (distinct values, so that
 * the order Kysely puts the parameters in can be checked against the arguments); later calls reuse the SQL text. A
 * transaction is a handle of its own each time, so inside one the query is built as usual.
 */
export function prepared<Row, Args extends readonly unknown[]>(
  build: (db: Db, ...args: Args) => Compilable<Row>,
  sample: Args,
): (db: Db, ...args: Args) => Promise<Row[]> {
  const compiledFor = new WeakMap<Db, CompiledQuery<Row>>();
  return async (db, ...args) => {
    let compiled = compiledFor.get(db);
    if (!compiled) {
      compiled = build(db, ...sample).compile();
      const inOrder =
        compiled.parameters.length === sample.length && compiled.parameters.every((value, i) => value === sample[i]);
      if (!inOrder) throw new Error(`prepared query: its parameters are not its arguments in order (${compiled.sql})`);
      compiledFor.set(db, compiled);
    }
    const { rows } = await db.executeQuery<Row>({ ...compiled, parameters: args });
    return rows;
  };
}
