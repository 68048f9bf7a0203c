import { resolve } from 'node:path';
import { findProjectDir, loadConfig } from '../config/load.ts';
import type { VaultlineConfig } from '../config/schema.ts';
import { findServer } from '../orchestrator/server/discovery.ts';
import { SUBMITTABLE_VERBS } from '../orchestrator/server/submittable.ts';
import { redactor } from '../shared/redact.ts';

/**
 * While `vaultline serve` runs for a project, it owns the warehouse (DuckDB allows one writing
 * process). A command that needs it — `build`, `run`, `extract`, … — is sent to the server instead of
 * failing on the lock: its log streams back here and this process exits with its exit code. Returns
 * `{}` when there is nothing to submit to (no server, or a verb that runs locally), with the
 * configuration it loaded to find out, so the command itself does not load it again.
 * VAULTLINE_NO_SUBMIT=1 turns it off (the command then runs here, and meets the lock).
 */
export async function submitIfServed(
  args: string[],
  cwd: string,
): Promise<{ exitCode: number } | { config?: VaultlineConfig }> {
  if (process.env.VAULTLINE_NO_SUBMIT === '1') return {};
  const { verb, project, rest } = splitGlobal(args);
  if (!verb || !SUBMITTABLE_VERBS.includes(verb) || rest.includes('--help') || rest.includes('-h')) return {};
  const projectDir = project ? resolve(cwd, project) : findProjectDir(cwd);
  if (!projectDir) return {};
  let config: VaultlineConfig;
  try {
    config = loadConfig(projectDir);
  } catch {
    return {}; // the command itself reports the configuration's problems
  }
  const server = await findServer(config);
  if (!server) return { config };
  process.stderr.write(
    `vaultline serve (pid ${server.pid}) owns this project's warehouse: submitting \`${rest.join(' ')}\` to ${server.url}\n`,
  );
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  try {
    const response = await fetch(`${server.url}/api/submit`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ argv: rest }),
      signal: controller.signal,
    });
    if (!response.ok || !response.body) {
      process.stderr.write(
        `error: the server refused the command: ${redactor.text(await response.text())}\n`,
      );
      return { exitCode: 2 };
    }
    let exit = 1;
    let buffered = '';
    const decoder = new TextDecoder();
    for await (const chunk of response.body) {
      buffered += decoder.decode(chunk, { stream: true });
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        if (!line) continue;
        const message = JSON.parse(line) as {
          type: string;
          text?: string;
          level?: string;
          code?: number;
          run?: string;
        };
        if (message.type === 'stdout') process.stdout.write(message.text ?? '');
        else if (message.type === 'log')
          process.stderr.write(`${message.level === 'info' ? '' : `${message.level}: `}${message.text}\n`);
        else if (message.type === 'run')
          process.stderr.write(`run ${message.run} (vaultline runs show ${message.run})\n`);
        else if (message.type === 'exit') exit = message.code ?? 1;
      }
    }
    return { exitCode: exit };
  } catch (error) {
    if (controller.signal.aborted) {
      process.stderr.write('interrupted: the server cancels the command\n');
      return { exitCode: 130 };
    }
    process.stderr.write(
      `error: lost the server while the command ran: ${error instanceof Error ? error.message : String(error)} (see \`vaultline runs\`)\n`,
    );
    return { exitCode: 1 };
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

const GLOBAL_FLAGS = new Set(['--json', '-v', '--verbose']);

/** The verb, a `--project` given anywhere, and the arguments to send without it. */
function splitGlobal(args: string[]): { verb?: string; project?: string; rest: string[] } {
  const rest: string[] = [];
  let project: string | undefined;
  let verb: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--project') {
      project = args[++i];
      continue;
    }
    if (arg.startsWith('--project=')) {
      project = arg.slice('--project='.length);
      continue;
    }
    if (verb === undefined && !arg.startsWith('-')) verb = arg;
    else if (verb === undefined && !GLOBAL_FLAGS.has(arg)) return { rest: args };
    rest.push(arg);
  }
  // Global flags before the verb go after it (they are the verb's too).
  const at = verb === undefined ? -1 : rest.indexOf(verb);
  return {
    ...(verb ? { verb } : {}),
    ...(project ? { project } : {}),
    rest: at > 0 ? [...rest.slice(at), ...rest.slice(0, at)] : rest,
  };
}
