import type { SqlParams } from '#platform/query/index.js';

/** The type of one argument of a fact, checked before the fact compiles. */
export type FactArgument =
  | { type: 'uuid' }
  | { type: 'integer'; min: number; max: number }
  | { type: 'decimal' }
  | { type: 'currency' }
  | { type: 'enum'; values: readonly string[] };

/** What a fact's SQL may use: the contact row's alias, parameters, and fresh aliases. */
export interface FactSqlContext {
  /** Alias of the contacts row the fact is about, e.g. `c`. */
  contact: string;
  params: SqlParams;
  /** A table alias no other part of the query uses. */
  alias(prefix: string): string;
}

/**
 * Something known about a contact beyond its fields (bought a product, revenue, activities),
 * usable in segment rules as `{ "fact": name, ...arguments }`. A module registers its facts
 * with SegmentFactRegistry when it starts; the SQL stays with the module that knows the
 * tables.
 */
export interface SegmentFact {
  /** The name rules use, e.g. `purchased`. */
  readonly name: string;
  readonly description: string;
  readonly arguments: Readonly<Record<string, FactArgument & { required?: boolean }>>;
  /**
   * Sets of arguments of which exactly one must be given, e.g. `[['productId',
   * 'productFamilyId']]` or the comparison of a measure `[['gt', 'gte', 'lt', 'lte']]`.
   */
  readonly exactlyOneOf?: readonly (readonly string[])[];
  /** A boolean SQL expression over the contact row; every value passed as a parameter. */
  sql(args: Readonly<Record<string, unknown>>, ctx: FactSqlContext): string;
}

/** The facts segment rules may use, by name. */
export class FactRegistry {
  private readonly facts = new Map<string, SegmentFact>();

  register(fact: SegmentFact): void {
    if (!/^[a-z][A-Za-z0-9]{0,49}$/.test(fact.name))
      throw new Error(`segment fact name "${fact.name}" must be camelCase`);
    if (this.facts.has(fact.name))
      throw new Error(`segment fact "${fact.name}" is registered twice`);
    this.facts.set(fact.name, fact);
  }

  get(name: string): SegmentFact | undefined {
    return this.facts.get(name);
  }

  names(): string[] {
    return [...this.facts.keys()].sort();
  }
}
