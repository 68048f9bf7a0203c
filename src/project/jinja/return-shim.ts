import nunjucks from 'nunjucks';

/**
 * dbt macros end with `{{ return(value) }}` to hand a value (not text) back to their caller. Nunjucks
 * has no such statement, so `return()` throws a MacroReturn and every compiled macro body is wrapped in
 * a try/catch that turns it into the macro's result. The wrapper is added to the compiler's output
 * (not around runtime.makeMacro) because the generated code saves and restores the caller's frame
 * around the body: catching outside would leave the defining template's frame pointing at the macro's.
 */
const MARK = '__vaultlineMacroReturn';

export class MacroReturn {
  readonly [MARK] = true;
  constructor(readonly value: unknown) {}
}

const BODY_START = 'var callerFrame = frame;\n';
const BODY_END =
  /(frame = (?:callerFrame|frame\.pop\(\));\nreturn new runtime\.SafeString\(t_\d+\);\n)\}\);/g;

/** Wraps each compiled macro body; exported for the unit test that pins nunjucks' output shape. */
export function wrapMacroBodies(source: string): string {
  const starts = source.split(BODY_START).length - 1;
  let ends = 0;
  const patched = source
    .replaceAll(BODY_START, `${BODY_START}try {\n`)
    .replace(BODY_END, (_whole, body: string) => {
      ends++;
      return `${body}} catch (e) { frame = callerFrame; if (e && e.${MARK} === true) { return e.value; } throw e; }\n});`;
    });
  if (starts !== ends) {
    // The generated code changed shape (a nunjucks upgrade): fail loudly rather than mis-compile.
    throw new Error(
      `vaultline's return() shim does not recognise this nunjucks version's macro code (${starts} macro starts, ${ends} ends); pin nunjucks 3.2.4`,
    );
  }
  return patched;
}

let installed = false;

/** Patches nunjucks' compiler once per process (idempotent). Templates without macros are unchanged. */
export function installReturnShim(): void {
  if (installed) return;
  const compiler = (nunjucks as unknown as { compiler: { compile: (...args: unknown[]) => string } })
    .compiler;
  const original = compiler.compile;
  compiler.compile = function compile(this: unknown, ...args: unknown[]): string {
    return wrapMacroBodies(original.apply(this, args));
  };
  installed = true;
}
