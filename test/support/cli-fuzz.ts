/**
 * Random IOS command lines built from the shell's own command tree: walks down the tree with keywords in
 * full, abbreviated or mixed case, parameter values in and out of range, then noise (random words, 10 KB
 * tokens, unicode, control characters, `?` in odd places, blank lines, mode changes).
 */
import type { CommandNode, DeviceView } from '#devices';
import { randomString, type Rng } from './fuzz.ts';

const CONTROL = [
  ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)),
  '\u007f',
  '\u0085',
  '\u2028',
  '\u200b',
  '\ufeff',
];
const UNICODE = ['ü', 'İ', 'ß', 'ﬁ', '😀', '\ud800', '\u202e', 'Ω', '中文', 'ǅ', '\u0301'];
const MODE_LINES = [
  'configure terminal',
  'conf t',
  'end',
  'exit',
  'do show license status',
  'do sh lic sum',
  'do',
  'do ?',
  'do conf t',
  'do do show clock',
];

function mixCase(rng: Rng, s: string): string {
  return [...s].map((c) => (rng.chance(0.3) ? c.toUpperCase() : c)).join('');
}

/** A token for a node: its word (possibly abbreviated), a choice, or a value for a parameter. */
function tokenFor(rng: Rng, node: CommandNode, view: DeviceView): string {
  if (node.kind === 'keyword' || node.choices) {
    const words = node.kind === 'keyword' ? [node.word] : node.choices!(view).map((c) => c.word);
    const w = words.length ? rng.pick(words) : 'x';
    const cut = rng.chance(0.4) ? w.slice(0, 1 + rng.int(w.length)) : w;
    return rng.chance(0.2) ? mixCase(rng, cut) : cut;
  }
  return rng.pick([
    () => String(rng.int(100) - 30),
    () => String(rng.pick([-24, -23, 0, 23, 24, 31, 32, 59, 60, 1992, 1993, 2035, 2036, 2 ** 53])),
    () => `${rng.int(30)}:${rng.int(70)}:${rng.int(70)}`,
    () => rng.pick(['January', 'feb', 'Ma', 'ju', 'Dec', 'x']),
    () => rng.pick(['LAB-EAST-TOKEN%0AexportAllowed%3D', 'LAB-SHORT-TOKEN%0AnotExport%3D', 'bad-token', 'force']),
    () => rng.pick(['Switch', 'lab-sw1', 'EST', 'UTC', 'a'.repeat(70)]),
    () => randomString(rng).replace(/\s/g, '') || 'w',
  ])();
}

/** Down the tree from the roots: 0–6 tokens that fit, where each level offers them. */
function treeWalk(rng: Rng, roots: readonly CommandNode[], view: DeviceView): string[] {
  const tokens: string[] = [];
  let level = roots;
  for (let depth = 0; level.length > 0 && depth < 7 && !(depth > 0 && rng.chance(0.12)); depth++) {
    const node = rng.pick(level);
    tokens.push(tokenFor(rng, node, view));
    level = node.children ?? [];
  }
  return tokens;
}

function noise(rng: Rng): string {
  return rng.pick([
    () => randomString(rng),
    () => 'A'.repeat(10_240),
    () => rng.pick(UNICODE).repeat(1 + rng.int(5)),
    () => Array.from({ length: 1 + rng.int(4) }, () => rng.pick(CONTROL)).join(''),
    () => rng.pick(['?', '??', '|', '!', '#', '%', '^', '"', "'", '\\', '-', '--', 'no', 'do', 'show', 'reload']),
  ])();
}

export function fuzzLine(rng: Rng, roots: readonly CommandNode[], view: DeviceView): string {
  switch (rng.int(12)) {
    case 0:
      return rng.pick(['', ' ', '\t', '   \t  ', '\r', '\n', ' \u00a0 ']);
    case 1:
      return rng.pick(MODE_LINES);
    case 2:
      return noise(rng);
    default: {
      const tokens = treeWalk(rng, roots, view);
      // Extra tokens, noise in the middle, `?` attached or apart, odd spacing.
      while (rng.chance(0.25))
        tokens.splice(
          rng.int(tokens.length + 1),
          0,
          rng.chance(0.5) ? noise(rng) : rng.pick(['?', 'x', 'force', 'addon', '1']),
        );
      if (rng.chance(0.25) && tokens.length) {
        const i = rng.int(tokens.length);
        const t = tokens[i]!;
        tokens[i] = t.slice(0, rng.int(t.length + 1)) + '?' + t.slice(rng.int(t.length + 1));
      }
      const sep = (): string => (rng.chance(0.9) ? ' ' : rng.pick(['  ', '\t', ' \t ']));
      let line = tokens.map((t, i) => (i ? sep() : '') + t).join('');
      if (rng.chance(0.2)) line += rng.pick(['?', ' ?', '  ?', ' ??']);
      if (rng.chance(0.1)) line = rng.pick([' ', '  ', '\t']) + line;
      return line;
    }
  }
}
