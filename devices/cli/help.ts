/**
 * `?` help as IOS prints it: after a space, the next keywords and parameters with their help, padded to
 * the longest + 2 (`<cr>` where the command may end); right after a partial word, the keywords it could
 * complete to, two spaces apart.
 */
import type { DeviceView } from './cli-device.ts';
import type { CommandNode } from './command-node.ts';
import { tokenize, visible, walk, wordsOf } from './parser.ts';

export type HelpAnswer = { kind: 'text'; text: string } | { kind: 'ambiguous' } | { kind: 'invalid'; column: number };

const UNRECOGNIZED = '% Unrecognized command\n';

function listing(nodes: readonly CommandNode[], canEnd: boolean, view: DeviceView): string {
  const rows = nodes.flatMap((n) =>
    n.kind === 'param' && !n.choices ? [{ word: n.label, help: n.help }] : wordsOf(n, view),
  );
  if (canEnd) rows.push({ word: '<cr>', help: '' });
  const width = Math.max(...rows.map((r) => r.word.length)) + 2;
  return rows.map((r) => `  ${r.help ? r.word.padEnd(width) + r.help : r.word}`).join('\n') + '\n\n';
}

/** `line` ends with `?`. */
export function help(roots: readonly CommandNode[], line: string, view: DeviceView): HelpAnswer {
  const body = line.slice(0, -1);
  const tokens = tokenize(body);
  const completing = body.length > 0 && !/\s$/.test(body);
  const partial = completing ? tokens.pop()! : undefined;
  const w = walk(roots, body, tokens, view);
  if (w.kind !== 'reached') return w;
  const level = w.node ? visible(w.node.children, view) : visible(roots, view);
  if (partial) {
    const p = partial.text.toLowerCase();
    const words = level.flatMap((n) => wordsOf(n, view)).filter((x) => x.word.toLowerCase().startsWith(p));
    return { kind: 'text', text: words.length ? `${words.map((x) => x.word).join('  ')}  \n\n` : UNRECOGNIZED };
  }
  const canEnd = w.node?.run !== undefined;
  if (level.length === 0 && !canEnd) return { kind: 'text', text: UNRECOGNIZED };
  return { kind: 'text', text: listing(level, canEnd, view) };
}
