/**
 * What ref(), source() and `this` return: renders as the relation's SQL text (so `{{ ref('x') }}` and
 * `'a' ~ ref('x')` work) and, like dbt's Relation, exposes `.schema`, `.identifier`/`.name`. It extends
 * String so nunjucks' filters (`| upper`, `| replace`) treat it as a string.
 */
export class Relation extends String {
  readonly schema: string | undefined;
  readonly identifier: string | undefined;

  constructor(sql: string, parts: { schema?: string; identifier?: string } = {}) {
    super(sql);
    this.schema = parts.schema;
    this.identifier = parts.identifier;
  }

  get name(): string | undefined {
    return this.identifier;
  }

  /** dbt compatibility: `{{ this.render() }}`. */
  render(): string {
    return this.toString();
  }
}
