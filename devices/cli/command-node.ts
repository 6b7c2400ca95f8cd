/**
 * The command tree as data: each node is a keyword or a parameter, with its `?` help text and, where a
 * command may end, the function that runs it. The parser, the abbreviations and `?` help all read it.
 */
import type { CliDevice, DeviceView } from './cli-device.ts';

export type ShellMode = 'exec' | 'config';

/** What a command may touch: the device, a view taken when the line was entered, and the shell's mode. */
export interface CommandContext {
  device: CliDevice;
  view: DeviceView;
  /** Parameter values by node name; a keyword choice holds its full word. */
  args: Readonly<Record<string, string>>;
  setMode(mode: ShellMode): void;
  /** Runs an exec-mode line (config-mode `do`): the full output of that line. */
  runExec(line: string): string;
}

/** Returns the exact text IOS prints, every line ending in `\n` ('' for nothing). */
export type Run = (ctx: CommandContext) => string;

interface NodeBase {
  help: string;
  children?: readonly CommandNode[];
  /** Present where the command may end here (`<cr>` in help). */
  run?: Run;
  /** Hidden (absent from help and matching) when false, e.g. `license smart` on a traditional-only release. */
  available?: (view: DeviceView) => boolean;
}

export interface KeywordNode extends NodeBase {
  kind: 'keyword';
  word: string;
}

export interface ParamNode extends NodeBase {
  kind: 'param';
  /** Key in CommandContext.args. */
  name: string;
  /** Help column label: `WORD`, `<1-31>`, `hh:mm:ss`, `LINE`. */
  label: string;
  /** Normalised value, or undefined when the token does not fit. */
  accept?: (token: string) => string | undefined;
  /** Keyword-like values (boot levels, months): matched by unique prefix like keywords. */
  choices?: (view: DeviceView) => readonly { word: string; help: string }[];
  /** Takes the rest of the line (`do <exec command>`). */
  rest?: boolean;
}

export type CommandNode = KeywordNode | ParamNode;

export const keyword = (
  word: string,
  help: string,
  rest: Omit<KeywordNode, 'kind' | 'word' | 'help'> = {},
): KeywordNode => ({
  kind: 'keyword',
  word,
  help,
  ...rest,
});

export const param = (
  name: string,
  label: string,
  help: string,
  rest: Omit<ParamNode, 'kind' | 'name' | 'label' | 'help'>,
): ParamNode => ({
  kind: 'param',
  name,
  label,
  help,
  ...rest,
});

/** `<lo-hi>` integer parameter; IOS writes a negative range as `<-23 - 23>`. */
export function intRange(lo: number, hi: number): { label: string; accept: (t: string) => string | undefined } {
  return {
    label: lo < 0 ? `<${lo} - ${hi}>` : `<${lo}-${hi}>`,
    accept: (t) => (/^-?\d+$/.test(t) && Number(t) >= lo && Number(t) <= hi ? String(Number(t)) : undefined),
  };
}

export const word = (t: string): string | undefined => (t.length > 0 ? t : undefined);
