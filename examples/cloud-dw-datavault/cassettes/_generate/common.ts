import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cassetteFileName } from '../../../../src/connectors/sdk/cassette.ts';
import { buildUrl, pathAndQuery, requestIdentity } from '../../../../src/connectors/sdk/url.ts';
import type { QueryValue } from '../../../../src/connectors/sdk/types.ts';

/**
 * Writes the bundled cassettes. The payloads in the files beside this one were written by hand in each
 * API's response shape (there was no network); this code only serialises them the way each API does and
 * names every file by the hash of its request. Re-run after changing a payload:
 *   node --import tsx examples/cloud-dw-datavault/cassettes/_generate/all.ts
 */
export const OUT = fileURLToPath(new URL('..', import.meta.url));
export const UA = 'vaultline/0.1.0 (vaultline-example; data-team@example.com)';
export const NOTE = "written by hand in the API's real response shape (no network was available); small but realistic";

/** A number written exactly as given (Open-Meteo prints 20.0, the World Bank 346709790458.561). */
export class Raw {
  constructor(readonly text: string) {}
}
export const raw = (text: string) => new Raw(text);

/** Compact JSON like most APIs send, honouring Raw numbers. */
export function compact(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(compact).join(',')}]`;
  return `{${Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${JSON.stringify(k)}:${compact(v)}`)
    .join(',')}}`;
}

export function reset(source: string): void {
  rmSync(join(OUT, source), { recursive: true, force: true });
}

const written: Record<string, number> = {};

export function cassette(
  source: string,
  base: string,
  request: { path: string; query?: Record<string, QueryValue> },
  response: { status?: number; headers: Record<string, string>; body: string },
  requestHeaders: Record<string, string> = {},
): string {
  const identity = requestIdentity('GET', request);
  const name = cassetteFileName(identity);
  const body = response.body;
  const file = {
    cassette_version: 1,
    source,
    recorded_at: '2025-01-15T12:00:00.000Z',
    note: NOTE,
    request: {
      method: 'GET',
      path: pathAndQuery(request),
      url: buildUrl(base, request),
      headers: { 'user-agent': UA, accept: 'application/json', ...requestHeaders },
    },
    response: {
      status: response.status ?? 200,
      headers: { ...response.headers, 'content-length': String(Buffer.byteLength(body)) },
      body,
    },
  };
  mkdirSync(join(OUT, source), { recursive: true });
  writeFileSync(join(OUT, source, name), `${JSON.stringify(file, null, 2)}\n`);
  written[source] = (written[source] ?? 0) + 1;
  return name;
}

export function report(): void {
  console.log(written);
}
