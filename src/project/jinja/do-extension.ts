/**
 * `{% do expr %}` (Jinja's expression statement, which dbt macros use for `{% do items.append(x) %}`):
 * evaluates the expression and outputs nothing. Nunjucks extensions are untyped, hence the loose types.
 */
interface ParserLike {
  nextToken(): { value: string; lineno: number; colno: number };
  parseExpression(): unknown;
  advanceAfterBlockEnd(name: string): void;
}

interface NodesLike {
  NodeList: new (lineno: number, colno: number, children: unknown[]) => unknown;
  CallExtension: new (ext: unknown, prop: string, args: unknown) => unknown;
}

export class DoExtension {
  readonly tags = ['do'];

  parse(parser: ParserLike, nodes: NodesLike): unknown {
    const token = parser.nextToken();
    const expression = parser.parseExpression();
    parser.advanceAfterBlockEnd(token.value);
    return new nodes.CallExtension(this, 'run', new nodes.NodeList(token.lineno, token.colno, [expression]));
  }

  run(): string {
    return '';
  }
}
