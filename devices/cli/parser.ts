/**
 * IOS command-line parsing against the command tree: case-insensitive keywords, unique-prefix
 * abbreviations (`sh lic stat`), and the three ways IOS refuses a line (ambiguous, invalid at a column,
 * incomplete).
 */
import type { DeviceView } from './cli-device.ts';
import type { CommandNode, Run } from './command-node.ts';

export interface Token {
  text: string;
  /** Column of the token's first character in the line. */
  start: number;
}

export type Parsed =
  | { kind: 'empty' }
  | { kind: 'run'; run: Run; args: Record<string, string> }
  | { kind: 'ambiguous' }
  | { kind: 'incomplete' }
  /** `column`: where IOS puts the `^`, counted in the line as typed. */
  | { kind: 'invalid'; column: number };

export function tokenize(line: string): Token[] {
  return [...line.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: m.index }));
}

/**
 * Available, and a command end or a way on: a keyword whose every child is hidden leads nowhere, so it is
 * hidden too (config `license` on an ISR G2, whose `boot level` and `smart` this release lacks).
 */
function offered(node: CommandNode, view: DeviceView): boolean {
  if (!(node.available?.(view) ?? true)) return false;
  return node.run !== undefined || node.kind === 'param' || (node.children ?? []).some((c) => offered(c, view));
}

export function visible(nodes: readonly CommandNode[] | undefined, view: DeviceView): CommandNode[] {
  return (nodes ?? []).filter((n) => offered(n, view));
}

/** The words a node offers for prefix matching: its keyword, or its choices. */
export function wordsOf(node: CommandNode, view: DeviceView): { word: string; help: string }[] {
  if (node.kind === 'keyword') return [{ word: node.word, help: node.help }];
  return node.choices ? [...node.choices(view)] : [];
}

type Step =
  | { kind: 'match'; node: CommandNode; value: string; consumedRest: boolean }
  | { kind: 'ambiguous' }
  | { kind: 'fail'; matched: number };

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Matches one token among the nodes of one level. `rest` is the line from this token on. */
export function step(nodes: readonly CommandNode[], token: string, rest: string, view: DeviceView): Step {
  const t = token.toLowerCase();
  const words = nodes.flatMap((node) => wordsOf(node, view).map((w) => ({ node, word: w.word })));
  const exact = words.find((w) => w.word.toLowerCase() === t);
  if (exact) return { kind: 'match', node: exact.node, value: exact.word, consumedRest: false };
  const prefixed = words.filter((w) => w.word.toLowerCase().startsWith(t));
  if (prefixed.length > 1) return { kind: 'ambiguous' };
  if (prefixed.length === 1)
    return { kind: 'match', node: prefixed[0]!.node, value: prefixed[0]!.word, consumedRest: false };
  for (const node of nodes) {
    if (node.kind !== 'param' || node.choices) continue;
    if (node.rest) return { kind: 'match', node, value: rest.trim(), consumedRest: true };
    const value = node.accept?.(token);
    if (value !== undefined) return { kind: 'match', node, value, consumedRest: false };
  }
  return { kind: 'fail', matched: Math.max(0, ...words.map((w) => commonPrefix(t, w.word.toLowerCase()))) };
}

/** Walks the tokens down the tree and returns the node reached (`?` help passes the tokens before the partial word). */
export function walk(
  roots: readonly CommandNode[],
  line: string,
  tokens: readonly Token[],
  view: DeviceView,
):
  | { kind: 'reached'; node: CommandNode | undefined; args: Record<string, string> }
  | Exclude<Parsed, { kind: 'run' | 'empty' | 'incomplete' }> {
  let level = visible(roots, view);
  let node: CommandNode | undefined;
  const args: Record<string, string> = {};
  for (const token of tokens) {
    const s = step(level, token.text, line.slice(token.start), view);
    if (s.kind === 'ambiguous') return { kind: 'ambiguous' };
    if (s.kind === 'fail') return { kind: 'invalid', column: token.start + Math.min(s.matched, token.text.length - 1) };
    node = s.node;
    if (node.kind === 'param') args[node.name] = s.value;
    if (s.consumedRest) break;
    level = visible(node.children, view);
  }
  return { kind: 'reached', node, args };
}

export function parse(roots: readonly CommandNode[], line: string, view: DeviceView): Parsed {
  const tokens = tokenize(line);
  if (tokens.length === 0) return { kind: 'empty' };
  const w = walk(roots, line, tokens, view);
  if (w.kind !== 'reached') return w;
  return w.node?.run ? { kind: 'run', run: w.node.run, args: w.args } : { kind: 'incomplete' };
}
