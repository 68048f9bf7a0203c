import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { redactor } from '../../shared/redact.ts';
import { type Cassette, cassetteFileName, cassetteId, decodeBody, idFromFileName } from './cassette.ts';
import { MissingCassetteError } from './errors.ts';
import type { Transport } from './transport.ts';

/**
 * Answers requests from cassettes in `<dir>/<source>/`, never touching the network. A request with
 * no cassette fails naming its URL and the file it looked for, so recording it is one command away.
 */
export function replayTransport(dir: string): Transport {
  const indexes = new Map<string, Promise<Map<string, string>>>();
  const indexFor = (source: string) => {
    let index = indexes.get(source);
    if (!index) {
      index = buildIndex(join(dir, source));
      indexes.set(source, index);
    }
    return index;
  };
  return {
    kind: 'replay',
    async send(request) {
      const folder = join(dir, request.source);
      const file = (await indexFor(request.source)).get(cassetteId(request.identity));
      if (!file) {
        throw new MissingCassetteError(
          `no cassette for ${request.method} ${redactor.url(request.url)} in ${folder} ` +
            `(expected ${cassetteFileName(request.identity)}; record it with --record ${dir})`,
        );
      }
      const path = join(folder, file);
      let cassette: Cassette;
      try {
        cassette = JSON.parse(await readFile(path, 'utf8')) as Cassette;
      } catch (error) {
        throw new MissingCassetteError(`cassette ${path} is not valid JSON: ${(error as Error).message}`);
      }
      const wanted = request.identity.replace(/^[A-Z]+\s+/, '');
      if (cassette.request?.path !== wanted || typeof cassette.response?.status !== 'number') {
        throw new MissingCassetteError(
          `cassette ${path} does not match ${request.method} ${wanted}: it holds ${JSON.stringify(cassette.request?.path)} ` +
            '(the file name must be the hash of the request it holds; re-record it, or fix request.path)',
        );
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(cassette.response.headers ?? {}))
        headers[name.toLowerCase()] = value;
      return { status: cassette.response.status, headers, body: decodeBody(cassette.response) };
    },
  };
}

async function buildIndex(folder: string): Promise<Map<string, string>> {
  const index = new Map<string, string>();
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return index; // no folder: every request reports its missing cassette by URL
  }
  for (const name of names.sort()) {
    const id = idFromFileName(name);
    if (id) index.set(id, name);
  }
  return index;
}
