/**
 * The IOS-style shell of one device: privileged exec (`Switch#`) and global configuration
 * (`Switch(config)#`). `execute()` returns what IOS prints for one line, without the echoed prompt and
 * line, `\n` line ends. It never throws: an internal error becomes one `% ` line.
 */
import type { CliDevice } from './cli-device.ts';
import type { CommandContext, CommandNode, ShellMode } from './command-node.ts';
import { CONFIG_COMMANDS, EXEC_COMMANDS } from './command-table.ts';
import { complete, type Completion } from './complete.ts';
import { help } from './help.ts';
import { parse, tokenize, walk, type Parsed } from './parser.ts';

const INCOMPLETE = '% Incomplete command.\n\n';

export class IosShell {
  readonly #device: CliDevice;
  #mode: ShellMode = 'exec';

  constructor(device: CliDevice) {
    this.#device = device;
  }

  get mode(): ShellMode {
    return this.#mode;
  }

  prompt(): string {
    return this.#promptOf(this.#device.view().hostname);
  }

  execute(line: string): string {
    try {
      return this.#execute(line, this.#mode, this.prompt().length);
    } catch (err) {
      return `% Internal error: ${err instanceof Error ? err.message : String(err)}\n`;
    }
  }

  /** Tab on `line` in the current mode (see complete.ts). */
  complete(line: string): Completion {
    try {
      return complete(this.#mode === 'config' ? CONFIG_COMMANDS : EXEC_COMMANDS, line, this.#device.view());
    } catch {
      return { line, candidates: [] };
    }
  }

  #promptOf(hostname: string): string {
    return this.#mode === 'config' ? `${hostname}(config)#` : `${hostname}#`;
  }

  /** `indent`: columns before the line as echoed (the prompt), so the caret sits under the bad character. */
  #execute(line: string, mode: ShellMode, indent: number): string {
    const roots: readonly CommandNode[] = mode === 'config' ? CONFIG_COMMANDS : EXEC_COMMANDS;
    const view = this.#device.view();
    const caret = (column: number): string =>
      `${' '.repeat(indent + column)}^\n% Invalid input detected at '^' marker.\n\n`;
    const ambiguous = `% Ambiguous command:  "${line.trim()}"\n`;
    if (line.trimEnd().endsWith('?')) {
      // `do show ?`: the rest of the line is an exec command, so the help is exec mode's (`do ?` is do's own).
      const w = walk(roots, line, tokenize(line), view);
      if (w.kind === 'reached' && w.node?.kind === 'param' && w.node.rest) {
        const exec = w.args[w.node.name] ?? '';
        if (exec !== '?') return this.#execute(exec, 'exec', indent + line.trimEnd().length - exec.length);
      }
      const h = help(roots, line.trimEnd(), view);
      return h.kind === 'text' ? h.text : h.kind === 'ambiguous' ? ambiguous : caret(h.column);
    }
    const parsed: Parsed = parse(roots, line, view);
    switch (parsed.kind) {
      case 'empty':
        return '';
      case 'ambiguous':
        return ambiguous;
      case 'incomplete':
        return INCOMPLETE;
      case 'invalid':
        return caret(parsed.column);
      case 'run': {
        const ctx: CommandContext = {
          device: this.#device,
          view,
          args: parsed.args,
          setMode: (m) => {
            if (this.#mode === 'config' && m === 'exec') this.#device.endConfiguration();
            this.#mode = m;
          },
          // `do <command>`: errors are marked under the command where it stands in the typed line.
          runExec: (exec) => this.#execute(exec, 'exec', indent + line.trimEnd().length - exec.length),
        };
        return parsed.run(ctx);
      }
    }
  }
}
