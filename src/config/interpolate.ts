import { isSecretName } from '../shared/redact.ts';

/**
 * `${ENV_VAR}` and `${ENV_VAR:-default}` in any string value, so secrets stay out of vaultline.yml.
 * `$${X}` escapes to a literal `${X}`. Values that come from an environment variable whose name looks
 * secret (…TOKEN, …KEY, …PASSWORD) are reported as secrets, and so are values under a secret-named key.
 */
const PATTERN = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface InterpolationResult {
  value: unknown;
  missing: { path: (string | number)[]; variable: string }[];
  /** Dotted paths whose value is, or contains, a secret. */
  secretPaths: string[];
  /** Each secret value with where it came from, for the redactor (`environment variable GITHUB_TOKEN`). */
  secretValues: { value: string; origin: string }[];
}

export function interpolateEnv(input: unknown, env: Record<string, string | undefined>): InterpolationResult {
  const result: InterpolationResult = { value: undefined, missing: [], secretPaths: [], secretValues: [] };

  const walk = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === 'string') {
      let fromSecretVariable = false;
      const substituted: { value: string; origin: string }[] = [];
      const replaced = value.replace(PATTERN, (whole, escaped: string, name: string, fallback?: string) => {
        if (escaped) return whole.slice(1);
        const found = env[name];
        if (found === undefined || found === '') {
          if (fallback !== undefined) return fallback;
          result.missing.push({ path, variable: name });
          return '';
        }
        const origin = `environment variable ${name}`;
        substituted.push({ value: found, origin });
        if (isSecretName(name)) {
          fromSecretVariable = true;
          result.secretValues.push({ value: found, origin });
        }
        return found;
      });
      const last = path[path.length - 1];
      const underSecretKey = typeof last === 'string' && isSecretName(last);
      if (fromSecretVariable || (underSecretKey && replaced !== '')) {
        result.secretPaths.push(path.join('.'));
        // `Authorization: Bearer ${CRM}`: the whole value and the bare token are both secrets, since
        // code downstream may log either one.
        if (underSecretKey) {
          result.secretValues.push(
            { value: replaced, origin: `${path.join('.')} in vaultline.yml` },
            ...substituted,
          );
        }
      }
      return replaced;
    }
    if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i]));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(value)) out[key] = walk(inner, [...path, key]);
      return out;
    }
    return value;
  };

  result.value = walk(input, []);
  return result;
}
