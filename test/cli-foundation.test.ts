// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is vaultline.yml syntax, not a JS template
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { type CliRun, describeRun, vaultline } from './helpers/cli.ts';

/**
 * End to end: the foundation verbs (init, land, landing ls|cat|verify, config) run as a user runs them,
 * `bin/vaultline.js` in a separate process, in a project made by `vaultline init`.
 */
const KEY_LAYOUT = /^demo\/items\/load_date=\d{4}-\d{2}-\d{2}\/\d{8}T\d{9}Z_[0-9a-f]{16}\.json\.gz$/;
const TOKEN = 'tok-secret-9876';

let scratch: string;
let template: string;
before(async () => {
  scratch = await realpath(await mkdtemp(join(tmpdir(), 'vaultline-cli-')));
  // One `vaultline init`; each test works in a copy (every spawn costs about a second of CPU).
  const run = await vaultline(['init', 'template'], { cwd: scratch });
  assert.equal(run.code, 0, describeRun(run));
  template = join(scratch, 'template');
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A fresh project: a copy of the one `vaultline init` made. */
async function initProject(name: string): Promise<string> {
  const project = join(scratch, name);
  await cp(template, project, { recursive: true });
  return project;
}

function ok(run: CliRun): CliRun {
  assert.equal(run.code, 0, describeRun(run));
  return run;
}

function rawPath(project: string, key: string): string {
  return join(project, '.vaultline', 'raw', ...key.split('/'));
}

async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('vaultline CLI (foundation verbs)', { concurrency: 4 }, () => {
  test('--help lists the verbs; --version prints the version', async () => {
    const [help, landingHelp, version] = await Promise.all([
      vaultline(['--help'], { cwd: scratch }),
      vaultline(['landing', '--help'], { cwd: scratch }),
      vaultline(['--version'], { cwd: scratch }),
    ]);
    ok(help);
    for (const verb of ['init', 'config', 'land', 'landing'])
      assert.match(help.out, new RegExp(`^  ${verb}\\b`, 'm'), verb);
    for (const option of ['--project', '--json', '--verbose', '--version'])
      assert.ok(help.out.includes(option), option);
    ok(landingHelp);
    for (const verb of ['ls', 'cat', 'verify'])
      assert.match(landingHelp.out, new RegExp(`^  ${verb}\\b`, 'm'), verb);
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    assert.equal(ok(version).out.trim(), pkg.version);
  });

  test('init scaffolds a project and never overwrites one', async () => {
    const run = ok(await vaultline(['--json', 'init', 'scaffold'], { cwd: scratch }));
    const project = join(scratch, 'scaffold');
    assert.deepEqual(JSON.parse(run.out), {
      project: 'scaffold',
      dir: project,
      created: ['models/', 'macros/', 'tests/', 'seeds/', 'vaultline.yml', '.gitignore'],
    });
    for (const path of ['vaultline.yml', 'models', 'macros', 'tests', '.gitignore'])
      assert.ok(existsSync(join(project, path)), path);
    assert.match(await readFile(join(project, '.gitignore'), 'utf8'), /^\.vaultline\/$/m);
    const config = ok(await vaultline(['--json', 'config'], { cwd: join(project, 'models') }));
    assert.equal(JSON.parse(config.out).config.name, 'scaffold', 'the project is found from a subfolder');

    const again = await vaultline(['init', 'scaffold'], { cwd: scratch });
    assert.equal(again.code, 2, describeRun(again));
    assert.match(again.stderr, /already exists; init never overwrites/);
  });

  test('land twice gives two keys of the DESIGN layout with sidecars; cat returns the exact bytes; a flipped byte fails cat and verify', async () => {
    const project = await initProject('landing');
    const original = Buffer.from('[{"id":1,"name":"Zürich"},{"id":2,"name":"Łódź"}]\r\n', 'utf8');
    await writeFile(join(project, 'x.json'), original);

    const first = ok(
      await vaultline(['land', 'x.json', '--source', 'demo', '--resource', 'items'], { cwd: project }),
    );
    const second = ok(
      await vaultline(['--json', 'land', 'x.json', '--source', 'demo', '--resource', 'items'], {
        cwd: project,
      }),
    );
    const key1 = first.out.trim();
    const landed = JSON.parse(second.out) as { key: string; bytes: number; records: number; sha256: string };
    const key2 = landed.key;
    assert.match(key1, KEY_LAYOUT);
    assert.match(key2, KEY_LAYOUT);
    assert.notEqual(key1, key2);
    assert.equal(landed.bytes, original.byteLength);
    assert.equal(landed.records, 2);
    for (const key of [key1, key2]) {
      const sidecar = JSON.parse(await readFile(`${rawPath(project, key)}.meta.json`, 'utf8'));
      assert.equal(sidecar.key, key);
      assert.equal(sidecar.source, 'demo');
      assert.equal(sidecar.resource, 'items');
      assert.equal(sidecar.bytes, original.byteLength);
      assert.equal(sidecar.valid_json, true);
      assert.equal(sidecar.record_count, 2);
      assert.equal(sidecar.request.method, 'FILE');
    }

    const [lsJson, lsTextRun] = await Promise.all([
      vaultline(['--json', '--project', project, 'landing', 'ls', 'demo/'], { cwd: scratch }),
      vaultline(['landing', 'ls'], { cwd: project }),
    ]);
    const lsText = ok(lsTextRun).out;
    const ls = JSON.parse(ok(lsJson).out) as { key: string; bytes: number; load_ts: string }[];
    assert.deepEqual(
      ls.map((row) => row.key),
      [key1, key2].sort(),
      '--project from another folder',
    );
    assert.ok(ls.every((row) => row.bytes > 0 && !Number.isNaN(Date.parse(row.load_ts))));
    assert.ok(lsText.includes(key1) && lsText.includes(key2) && /2 object\(s\)/.test(lsText), lsText);

    const [cat, verify] = await Promise.all([
      vaultline(['landing', 'cat', key1], { cwd: project }),
      vaultline(['landing', 'verify'], { cwd: project }),
    ]);
    assert.ok(ok(cat).stdout.equals(original), `cat returned ${JSON.stringify(cat.out)}`);
    assert.match(
      ok(verify).out,
      /^2 object\(s\) checked in .*: 2 intact \(\d+ B uncompressed\); 0 problem\(s\)$/m,
    );

    const stored = await readFile(rawPath(project, key1));
    stored[stored.length >> 1] = stored[stored.length >> 1]! ^ 0x01;
    await writeFile(rawPath(project, key1), stored);

    const [badCat, badVerify, badVerifyJson, goodCat] = await Promise.all([
      vaultline(['landing', 'cat', key1], { cwd: project }),
      vaultline(['landing', 'verify'], { cwd: project }),
      vaultline(['--json', 'landing', 'verify', 'demo/'], { cwd: project }),
      vaultline(['landing', 'cat', key2], { cwd: project }),
    ]);
    assert.equal(badCat.code, 1, describeRun(badCat));
    assert.equal(badCat.stdout.length, 0, 'no unverified bytes are printed');
    assert.ok(badCat.stderr.includes(key1), badCat.stderr);
    assert.equal(badVerify.code, 1, describeRun(badVerify));
    assert.ok(badVerify.out.includes(`corrupt_body: checksum mismatch for ${key1}`), badVerify.out);
    assert.match(badVerify.out, /^2 object\(s\) checked in .*: 1 intact .*; 1 problem\(s\)$/m);
    assert.equal(badVerifyJson.code, 1);
    const report = JSON.parse(badVerifyJson.out) as {
      checked: number;
      problems: { key: string; kind: string }[];
    };
    assert.equal(report.checked, 2);
    assert.deepEqual(
      report.problems.map((p) => [p.key, p.kind]),
      [[key1, 'corrupt_body']],
    );
    assert.ok(ok(goodCat).stdout.equals(original), 'the other object is untouched');
  });

  test('land keeps a non-JSON file byte for byte and says it is not JSON', async () => {
    const project = await initProject('nonjson');
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x0d, 0x0a, 0x80, 0x7f]);
    await writeFile(join(project, 'blob.bin'), bytes);
    const land = ok(
      await vaultline(['land', 'blob.bin', '--source', 'demo', '--resource', 'items'], { cwd: project }),
    );
    assert.match(land.stderr, /not valid JSON/);
    const key = land.out.trim();
    assert.match(key, KEY_LAYOUT);
    assert.ok(ok(await vaultline(['landing', 'cat', key], { cwd: project })).stdout.equals(bytes));
  });

  test('landing verify reports orphan bodies and sidecars without body, which ls does not show', async () => {
    const project = await initProject('orphans');
    await writeFile(join(project, 'x.json'), '[]');
    const good = ok(
      await vaultline(['land', 'x.json', '--source', 'demo', '--resource', 'items'], { cwd: project }),
    ).out.trim();
    const orphanBody = 'demo/items/load_date=2026-01-01/20260101T000000000Z_0000000000000001.json.gz';
    const orphanSidecar = 'demo/items/load_date=2026-01-01/20260101T000000001Z_0000000000000002.json.gz';
    await mkdir(dirname(rawPath(project, orphanBody)), { recursive: true });
    await writeFile(rawPath(project, orphanBody), gzipSync('[1]'));
    await writeFile(`${rawPath(project, orphanSidecar)}.meta.json`, '{}');

    const [verify, ls] = await Promise.all([
      vaultline(['landing', 'verify'], { cwd: project }),
      vaultline(['--json', 'landing', 'ls'], { cwd: project }),
    ]);
    assert.equal(verify.code, 1, describeRun(verify));
    assert.match(
      verify.out,
      new RegExp(`^body_without_sidecar: ${orphanBody.replaceAll('.', '\\.')}: `, 'm'),
    );
    assert.match(
      verify.out,
      new RegExp(`^sidecar_without_body: ${orphanSidecar.replaceAll('.', '\\.')}: `, 'm'),
    );
    assert.match(verify.out, /^1 object\(s\) checked in .*: 1 intact .*; 2 problem\(s\)$/m);
    assert.deepEqual(
      (JSON.parse(ok(ls).out) as { key: string }[]).map((r) => r.key),
      [good],
    );
  });

  test('an invalid vaultline.yml exits 2 listing every problem as vaultline.yml:LINE', async () => {
    const project = await initProject('invalid');
    await writeFile(
      join(project, 'vaultline.yml'),
      [
        'name: invalid', // 1
        'landing:', // 2
        '  type: s3', // 3
        '  prefx: raw', // 4
        'warehouse:', // 5
        '  type: duckdb', // 6
        '  threads: many', // 7
      ].join('\n'),
    );
    const [config, json] = await Promise.all([
      vaultline(['config'], { cwd: project }),
      vaultline(['--json', 'land', 'vaultline.yml', '--source', 'demo', '--resource', 'items'], {
        cwd: project,
      }),
    ]);
    for (const run of [config, json]) {
      assert.equal(run.code, 2, describeRun(run));
      const lines = run.stderr.split('\n').map((line) => line.trim());
      assert.ok(lines.includes('vaultline.yml:3: landing.bucket is required (a string)'), run.stderr);
      assert.ok(
        lines.includes('vaultline.yml:4: landing.prefx is not a known key (did you mean "prefix"?)'),
        run.stderr,
      );
      assert.ok(
        lines.includes('vaultline.yml:7: warehouse.threads must be a number (got "many")'),
        run.stderr,
      );
      assert.equal(run.stdout.length, 0);
    }
    await writeFile(join(project, 'vaultline.yml'), 'name: invalid\nlanding:\n  type: s4\n');
    const s4 = await vaultline(['config'], { cwd: project });
    assert.equal(s4.code, 2);
    assert.ok(
      s4.stderr.includes('vaultline.yml:3: landing.type must be one of local, s3 (got "s4")'),
      s4.stderr,
    );
  });

  test('a token put in vaultline.yml through ${GITHUB_TOKEN} appears in no output, sidecar or log line', async () => {
    const project = await initProject('secrets');
    await writeFile(
      join(project, 'vaultline.yml'),
      [
        'name: secrets',
        'connectors:',
        '  github:',
        '    token: ${GITHUB_TOKEN}',
        '    base_url: https://api.github.com',
        '    user_agent: "vaultline (${GITHUB_TOKEN})"', // not a secret-named key: masked by value
        'vars:',
        '  since: "2026-01-01"',
      ].join('\n'),
    );
    await writeFile(join(project, 'items.json'), '[{"id":1}]');
    await writeFile(join(project, `dump-${TOKEN}.json`), '[{"id":2}]');
    const env = { GITHUB_TOKEN: TOKEN };
    const runs = await Promise.all([
      vaultline(['config'], { cwd: project, env }),
      vaultline(['--json', 'config'], { cwd: project, env }),
      vaultline(['-v', 'config'], { cwd: project, env }),
      vaultline(['-v', 'land', 'items.json', '--source', 'demo', '--resource', 'items'], {
        cwd: project,
        env,
      }),
      vaultline(['-v', '--json', 'land', `dump-${TOKEN}.json`, '--source', 'demo', '--resource', 'items'], {
        cwd: project,
        env,
      }),
    ]);
    const [text, json, verboseConfig, verboseLand, jsonLand] = runs.map(ok) as CliRun[];
    assert.match(text!.out, /token: "\*\*\*"/);
    assert.match(text!.out, /since: "?2026-01-01"?/, 'non-secret values are shown');
    const parsed = JSON.parse(json!.out) as { config: { connectors: { github: Record<string, unknown> } } };
    assert.equal(parsed.config.connectors.github.token, '***');
    assert.equal(parsed.config.connectors.github.base_url, 'https://api.github.com');
    assert.match(
      verboseConfig!.stderr,
      /^debug: loaded .*vaultline\.yml/m,
      'verbose runs do log (the check below means something)',
    );
    assert.match(verboseLand!.stderr, /^debug: landing a file /m);
    for (const line of jsonLand!.stderr.trim().split('\n')) JSON.parse(line); // --json logs are JSON lines

    const later = await Promise.all([
      vaultline(['-v', 'landing', 'ls'], { cwd: project, env }),
      vaultline(['-v', '--json', 'landing', 'verify'], { cwd: project, env }),
    ]);
    for (const run of [...runs, ...later.map(ok)]) {
      assert.ok(
        !run.out.includes(TOKEN) && !run.stderr.includes(TOKEN),
        `token leaked:\n${describeRun(run)}`,
      );
    }
    const sidecars = (await filesUnder(join(project, '.vaultline'))).filter((f) => f.endsWith('.meta.json'));
    assert.equal(sidecars.length, 2);
    for (const sidecar of sidecars) {
      const text = await readFile(sidecar, 'utf8');
      assert.ok(!text.includes(TOKEN), `token leaked into ${sidecar}:\n${text}`);
    }
    // The payload itself is kept exactly, even where it matches a secret: only metadata is redacted.
    const key = (JSON.parse(jsonLand!.out) as { key: string }).key;
    assert.ok(
      ok(await vaultline(['landing', 'cat', key], { cwd: project, env })).stdout.equals(
        Buffer.from('[{"id":2}]'),
      ),
    );
  });

  test('usage errors exit 2 (unknown option, missing option or argument, bad name, no project); a missing key exits 1', async () => {
    const project = await initProject('usage');
    const missing = vaultline(['landing', 'cat', 'demo/items/load_date=2026-01-01/nope.json.gz'], {
      cwd: project,
    });
    const cases: [string[], RegExp, string?][] = [
      [['--jsn', 'config'], /unknown option '--jsn'/],
      [['landing', 'verify', '--bogus'], /unknown option '--bogus'/],
      [['land', 'x.json', '--source', 'demo'], /required option '--resource <resource>' not specified/],
      [['landing', 'cat'], /missing required argument 'key'/],
      [
        ['land', 'missing.json', '--source', 'Demo', '--resource', 'items'],
        /--source: invalid source "Demo"/,
      ],
      [['landing', 'ls'], /no vaultline\.yml in .* \(run `vaultline init`, or pass --project DIR\)/, scratch],
    ];
    const runs = await Promise.all(cases.map(([args, , cwd]) => vaultline(args, { cwd: cwd ?? project })));
    runs.forEach((run, i) => {
      const [args, message] = cases[i]!;
      assert.equal(run.code, 2, `${args.join(' ')}: ${describeRun(run)}`);
      assert.match(run.stderr, message, args.join(' '));
    });
    // Not a usage error: the work (finding the object) failed, so exit 1, saying how to find keys.
    const notFound = await missing;
    assert.equal(notFound.code, 1, describeRun(notFound));
    assert.match(
      notFound.stderr,
      /not found: demo\/items\/load_date=2026-01-01\/nope\.json\.gz .*vaultline landing ls/,
    );
  });
});
