import type { Context } from 'hono';
import { redactor } from '../../shared/redact.ts';

/** A JSON answer of the UI, redacted like every other output. */
export function uiJson(
  c: Context,
  value: unknown,
  status: 200 | 201 | 202 | 400 | 404 | 409 = 200,
): Response {
  return c.json(redactor.object(value) as object, status);
}
