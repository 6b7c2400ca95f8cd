/**
 * Tab completion as IOS does it: a partial last word that only one keyword (or choice) of its level
 * begins with is completed to that word and a space; otherwise the line stays as typed (IOS rings the
 * bell). `candidates` are the words the partial word could become, for a console that lists them.
 */
import type { DeviceView } from './cli-device.ts';
import type { CommandNode } from './command-node.ts';
import { tokenize, visible, walk, wordsOf } from './parser.ts';

export interface Completion {
  line: string;
  candidates: string[];
}

export function complete(roots: readonly CommandNode[], line: string, view: DeviceView): Completion {
  const tokens = tokenize(line);
  const partial = line.length > 0 && !/\s$/.test(line) ? tokens.pop() : undefined;
  if (!partial) return { line, candidates: [] };
  const w = walk(roots, line, tokens, view);
  if (w.kind !== 'reached') return { line, candidates: [] };
  const level = w.node ? visible(w.node.children, view) : visible(roots, view);
  const p = partial.text.toLowerCase();
  const candidates = level
    .flatMap((n) => wordsOf(n, view))
    .map((x) => x.word)
    .filter((word) => word.toLowerCase().startsWith(p));
  const exact = candidates.find((word) => word.toLowerCase() === p);
  const only = exact ?? (candidates.length === 1 ? candidates[0] : undefined);
  return { line: only === undefined ? line : `${line.slice(0, partial.start)}${only} `, candidates };
}
