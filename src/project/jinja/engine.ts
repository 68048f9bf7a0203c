import { readFileSync } from 'node:fs';
import nunjucks from 'nunjucks';
import type { MacroDefinition } from '../types.ts';
import { keywordArgs } from './args.ts';
import { DoExtension } from './do-extension.ts';
import { type JinjaProblem, TemplateRenderError, toProblem } from './errors.ts';
import { BUILTIN_GLOBALS, installGlobals } from './globals.ts';
import { macroDefinitions, rewriteTestBlocks } from './macros.ts';
import { installReturnShim } from './return-shim.ts';
import { type JinjaState, TemplateUsageError } from './state.ts';

type MacroFunction = (...args: unknown[]) => unknown;

let jinjaCompatInstalled = false;

/** The bundled generic tests (not_null, unique, accepted_values, relationships), as dbt ships them. */
export const BUILTIN_MACROS_FILE = '(builtin)/generic_tests.sql';
const BUILTIN_MACROS_TEXT = readFileSync(new URL('./builtin/generic_tests.sql', import.meta.url), 'utf8');

/**
 * One nunjucks environment per project: its macros (from every macro file, callable from anywhere
 * without import, as in dbt), the dbt globals, and compiled templates. Rendering is synchronous, so
 * the render in progress is a plain field; renders may nest (a test's `to: ref('x')` argument).
 */
export class JinjaEngine {
  readonly env: nunjucks.Environment;
  private state: JinjaState | undefined;
  private readonly macros = new Map<string, MacroFunction>();
  private readonly templates = new Map<string, nunjucks.Template>();
  /** The bundled generic tests' definitions (test_not_null, …). */
  readonly builtinMacros: MacroDefinition[];

  constructor() {
    installReturnShim();
    if (!jinjaCompatInstalled) {
      // Python-isms dbt users write: True/False/None, list.append(), dict.items(), slices.
      nunjucks.installJinjaCompat();
      jinjaCompatInstalled = true;
    }
    this.env = new nunjucks.Environment([], {
      autoescape: false,
      throwOnUndefined: false,
      dev: true,
    } as object);
    this.env.addExtension('DoExtension', new DoExtension());
    installGlobals(
      this.env,
      () => this.current(),
      (name) => this.macros.get(name),
    );
    const builtin = this.loadMacroFile(BUILTIN_MACROS_FILE, BUILTIN_MACROS_TEXT, { builtin: true });
    if (builtin.problems.length > 0) throw new Error(`bundled macros: ${builtin.problems[0]!.message}`);
    this.builtinMacros = builtin.definitions;
  }

  private current(): JinjaState {
    if (!this.state) {
      throw new TemplateUsageError(
        'dbt functions (ref, source, config, var, this …) can only run while a model or test renders',
        'do not call them at the top level of a macro file',
      );
    }
    return this.state;
  }

  /** Every name a template can call: macros and built-in functions (for "did you mean"). */
  callableNames(): string[] {
    return [...this.macros.keys(), ...BUILTIN_GLOBALS];
  }

  hasMacro(name: string): boolean {
    return this.macros.has(name);
  }

  /**
   * Parses, compiles and registers a macro file. Later files override earlier ones with the same
   * macro name (the bundled tests are loaded first, so a project may override them).
   */
  loadMacroFile(
    file: string,
    text: string,
    options: { builtin?: boolean } = {},
  ): { definitions: MacroDefinition[]; problems: JinjaProblem[] } {
    let definitions: MacroDefinition[];
    let template: nunjucks.Template;
    try {
      definitions = macroDefinitions(text, file, this.env, options);
      template = new nunjucks.Template(rewriteTestBlocks(text), this.env, file, true);
    } catch (error) {
      return {
        definitions: [],
        problems: [toProblem(error, 'compile', () => this.callableNames(), text)],
      };
    }
    const problems: JinjaProblem[] = [];
    let exported: Record<string, MacroFunction> = {};
    (
      template as unknown as {
        getExported(ctx: object, cb: (err: unknown, value: Record<string, MacroFunction>) => void): void;
      }
    ).getExported({}, (err, value) => {
      if (err) problems.push(toProblem(err, 'render', () => this.callableNames()));
      else exported = value;
    });
    const reserved = new Set<string>(BUILTIN_GLOBALS);
    const kept: MacroDefinition[] = [];
    for (const definition of definitions) {
      const fn = exported[definition.name];
      if (reserved.has(definition.name)) {
        problems.push({
          line: definition.line,
          message: `macro "${definition.name}" would replace the built-in ${definition.name}()`,
          hint: 'rename the macro',
        });
        continue;
      }
      if (!fn) continue;
      this.macros.set(definition.name, fn);
      this.env.addGlobal(definition.name, fn);
      kept.push(definition);
    }
    return { definitions: kept, problems };
  }

  /** Compiles a template once per key (a node's unique id); a syntax error is returned, not thrown. */
  compile(key: string, file: string, text: string): { template?: nunjucks.Template; problem?: JinjaProblem } {
    const cached = this.templates.get(key);
    if (cached) return { template: cached };
    try {
      const template = new nunjucks.Template(text, this.env, file, true);
      this.templates.set(key, template);
      return { template };
    } catch (error) {
      return { problem: toProblem(error, 'compile', () => this.callableNames(), text) };
    }
  }

  /** Runs `work` with `state` as the render in progress; converts template errors. */
  private withState<T>(state: JinjaState, file: string, work: () => T, text?: string): T {
    const previous = this.state;
    this.state = state;
    try {
      return work();
    } catch (error) {
      if (error instanceof TemplateRenderError) throw error;
      throw new TemplateRenderError(
        toProblem(error, 'render', () => this.callableNames(), text),
        file,
      );
    } finally {
      this.state = previous;
    }
  }

  /** Renders a compiled template; throws TemplateRenderError (with the line) on failure. */
  render(
    template: nunjucks.Template,
    file: string,
    state: JinjaState,
    locals: Record<string, unknown> = {},
  ): string {
    const compiled = template as unknown as { render(ctx: object): string; tmplStr?: unknown };
    // The text lets errors without a usable position (an unknown filter) be located in it.
    const text = typeof compiled.tmplStr === 'string' ? compiled.tmplStr : undefined;
    return this.withState(state, file, () => compiled.render(locals), text);
  }

  /** Renders a short template text (a test's `where:` or `to: ref('x')`) in the given state. */
  renderText(text: string, file: string, state: JinjaState): string {
    return this.withState(
      state,
      file,
      () => new nunjucks.Template(text, this.env, file, true).render({}) as string,
    );
  }

  /** Calls a macro with keyword arguments (how a generic test's macro is invoked). */
  callMacro(name: string, kwargs: Record<string, unknown>, file: string, state: JinjaState): string {
    const fn = this.macros.get(name);
    if (!fn) throw new TemplateRenderError({ message: `no macro named ${name}` }, file);
    return this.withState(state, file, () => String(fn(keywordArgs(kwargs)) ?? ''));
  }
}
