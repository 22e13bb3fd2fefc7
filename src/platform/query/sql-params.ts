/** Collects positional parameters; every value reaches PostgreSQL as $n, never inline. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
