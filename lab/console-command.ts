/**
 * `lab exec` and `lab console`: IOS commands on the devices of a running `lab up`, through its control
 * API. `exec` runs one line on every selected device and prints a console transcript per device (the
 * prompt, the line, the answer); `console` is an interactive session on one device: its prompt, history
 * (kept in the lab directory), `?` help (the line comes back for editing, as IOS does), Tab completion from
 * the device's command table, Ctrl-C and Ctrl-Z leaving configuration mode, and the device's log lines as
 * they happen. Lines piped to `lab console` run one after another.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { Completion } from '#devices';
import { callLab, findRunningLab, type RunningLab } from './control/control-client.ts';
import type { ExecResult } from './fleet/fleet-console.ts';
import { UsageError } from './usage-error.ts';

export const consoleHelp = `Usage: lab exec <selector…> "<command>" [--lab <topology.yaml> | <lab dir>] [--lab-key KEY|FILE]
       lab console <hostname> [--lab <topology.yaml> | <lab dir>] [--lab-key KEY|FILE]

  exec      runs one IOS line on every device the selector picks and prints each device's transcript;
            exits 1 when a device refused the line (a '%' answer)
  console   an IOS console on one device of the running lab: history, '?' help, Tab completion,
            Ctrl-C / Ctrl-Z leave configuration mode, 'exit' or Ctrl-D detach (the device keeps running)

Selectors (every term must hold; hostnames and globs list devices):
  all · par-sw-001 par-sw-0* · site=lyon · group=access · pid=C9300-48P · kind=isr-4000 · role=wan|edge
  10% (a seeded share of the rest; 10%@7 for another seed)
The lab is the one running under ./.lab unless --lab names it.
`;

export interface ConsoleFlags {
  lab?: string | undefined;
  'lab-key'?: string | undefined;
}

const HISTORY_FILE = 'console_history';
const HISTORY_SIZE = 500;

export async function runExec(
  args: readonly string[],
  flags: ConsoleFlags,
  out: NodeJS.WritableStream,
): Promise<number> {
  if (args.length < 2)
    throw new UsageError('lab exec needs a selector and a command: lab exec site=lyon "show license summary"');
  const command = args.at(-1)!;
  const select = args.slice(0, -1).join(' ');
  const lab = findRunningLab(flags.lab, flags['lab-key']);
  const { results } = (await (await callLab(lab, '/exec', { body: { select, command } })).json()) as {
    results: ExecResult[];
  };
  let refused = 0;
  for (const r of results) {
    out.write(`${r.prompt}${command}\n${r.output}`);
    if (!r.output.endsWith('\n') && r.output !== '') out.write('\n');
    if (/^%/m.test(r.output)) refused++;
  }
  if (refused > 0) process.stderr.write(`lab: ${refused} of ${results.length} devices refused "${command}"\n`);
  return refused > 0 ? 1 : 0;
}

async function execOne(lab: RunningLab, hostname: string, command: string): Promise<ExecResult> {
  const { results } = (await (
    await callLab(lab, '/exec', { body: { select: `hostname=${hostname}`, command } })
  ).json()) as {
    results: ExecResult[];
  };
  return results[0]!;
}

/** The device's log lines, shown above the prompt as a console port shows them. */
async function followLog(lab: RunningLab, hostname: string, show: (line: string) => void, signal: AbortSignal) {
  try {
    const res = await callLab(lab, `/devices/${encodeURIComponent(hostname)}/log`, { signal });
    const decoder = new TextDecoder();
    let pending = '';
    for await (const chunk of res.body ?? []) {
      pending += decoder.decode(chunk as Uint8Array, { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) show(line);
    }
  } catch {
    // The lab stopped or the console detached: the log simply ends.
  }
}

export async function runConsole(
  hostname: string | undefined,
  flags: ConsoleFlags,
  out: NodeJS.WritableStream,
): Promise<void> {
  if (hostname === undefined) throw new UsageError('lab console needs a device hostname (lab status lists the lab)');
  const lab = findRunningLab(flags.lab, flags['lab-key']);
  const first = await execOne(lab, hostname, '');
  const name = first.hostname;
  const interactive = process.stdin.isTTY === true;
  const historyFile = join(lab.dir, HISTORY_FILE);
  const history = existsSync(historyFile)
    ? readFileSync(historyFile, 'utf8').split('\n').filter(Boolean).reverse()
    : [];
  let prompt = first.prompt;
  const rl: Interface = createInterface({
    input: process.stdin,
    output: interactive ? process.stdout : undefined,
    terminal: interactive,
    history: history.slice(0, HISTORY_SIZE),
    historySize: HISTORY_SIZE,
    completer: (line: string, done: (err: Error | null, result: [string[], string]) => void) => {
      callLab(lab, '/complete', { body: { device: name, line } })
        .then((r) => r.json() as Promise<Completion>)
        .then(
          // readline replaces the whole line when it is the "substring" completed.
          (c) => done(null, [c.line !== line ? [c.line] : c.candidates.length > 1 ? c.candidates : [], line]),
          () => done(null, [[], line]),
        );
    },
  });
  out.write(`[lab] console on ${name} of lab "${lab.name}"; 'exit' or Ctrl-D detaches\n`);
  const stopLog = new AbortController();
  void followLog(
    lab,
    name,
    (line) => (interactive ? (out.write(`\n${line}\n`), rl.prompt(true)) : out.write(`${line}\n`)),
    stopLog.signal,
  );
  const leaveConfig = async (echo: string) => {
    if (prompt.includes('(config')) prompt = (await execOne(lab, name, 'end')).next;
    out.write(`${echo}\n`);
    rl.setPrompt(prompt);
    rl.write(null, { ctrl: true, name: 'u' });
    rl.prompt();
  };
  rl.on('SIGINT', () => void leaveConfig('^C'));
  rl.on('SIGTSTP', () => void leaveConfig('^Z'));
  rl.setPrompt(prompt);
  if (interactive) rl.prompt();
  try {
    for await (const line of rl) {
      if (!interactive) out.write(`${prompt}${line}\n`);
      if (interactive && line.trim() !== '') appendFileSync(historyFile, `${line}\n`);
      if (!prompt.includes('(config') && /^\s*(exit|logout|quit)\s*$/i.test(line)) break;
      const r = await execOne(lab, name, line);
      out.write(r.output);
      prompt = r.next;
      rl.setPrompt(prompt);
      if (interactive) {
        rl.prompt();
        // After `?` IOS shows the line again, ready to go on typing.
        if (line.trimEnd().endsWith('?')) rl.write(line.trimEnd().slice(0, -1));
      }
    }
  } finally {
    stopLog.abort();
    rl.close();
  }
}
