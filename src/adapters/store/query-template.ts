import type { CompiledQuery } from 'kysely';

/**
 * A placeholder for a value a template takes at run time. Kysely treats any object without
 * `toOperationNode` as a plain value and passes it through to the compiled parameters
 * untouched, which is how each slot's position is found after compiling.
 */
class Slot {
  constructor(readonly name: string) {}
}

type Param = { slot: string } | { constant: unknown };

/**
 * A Kysely query built and compiled once, then run many times with fresh values: the hot
 * path's statements keep one SQL text (which the driver's statement cache prepares once) and
 * skip Kysely's build and compile on every call, which measured about a third of the cost of
 * a compare-and-set. The query is still written with the portable builder, and compiled by
 * the dialect the store runs on.
 */
export class QueryTemplate<K extends string> {
  readonly #compiled: CompiledQuery;
  readonly #params: Param[];

  private constructor(compiled: CompiledQuery, params: Param[]) {
    this.#compiled = compiled;
    this.#params = params;
  }

  /**
   * `build` gets `slot(name)`, a stand-in to put where each run-time value goes (in `set`, in
   * comparisons, in arithmetic); the stand-ins must never decide the query's shape.
   */
  static compile<K extends string>(
    names: readonly K[],
    build: (slot: (name: K) => never) => { compile(): CompiledQuery },
  ): QueryTemplate<K> {
    const slots = new Map(names.map((n) => [n, new Slot(n)]));
    const slot = (name: K): never => {
      const s = slots.get(name);
      if (s === undefined) throw new Error(`query template has no slot ${name}`);
      return s as never;
    };
    const compiled = build(slot).compile();
    const params = compiled.parameters.map((p): Param => (p instanceof Slot ? { slot: p.name } : { constant: p }));
    const used = new Set(params.flatMap((p) => ('slot' in p ? [p.slot] : [])));
    const unused = names.filter((n) => !used.has(n));
    if (unused.length > 0) throw new Error(`query template never uses ${unused.join(', ')}`);
    return new QueryTemplate(compiled, params);
  }

  bind(values: Record<K, unknown>): CompiledQuery {
    const parameters = this.#params.map((p) => ('slot' in p ? values[p.slot as K] : p.constant));
    return { ...this.#compiled, parameters };
  }
}

/** Templates of one store, by shape; compiled on first use. */
export class TemplateCache {
  readonly #templates = new Map<string, QueryTemplate<string>>();

  get<K extends string>(key: string, make: () => QueryTemplate<K>): QueryTemplate<K> {
    let t = this.#templates.get(key) as QueryTemplate<K> | undefined;
    if (t === undefined) {
      t = make();
      this.#templates.set(key, t as unknown as QueryTemplate<string>);
    }
    return t;
  }
}
