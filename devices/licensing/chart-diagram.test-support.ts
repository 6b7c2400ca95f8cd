/**
 * A Mermaid flowchart of a chart, generated from the machine's own state nodes: compound states as
 * subgraphs (`∥` marks parallel regions, `▸` the initial child), one edge per transition target, labelled
 * with its event (`after DELAY` for timers, nothing for eventless routing) and guard. devices/README.md
 * carries the Smart chart's; devices/readme.test.ts keeps it equal to this output.
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';

const idOf = (node: AnyStateNode): string => node.id.replaceAll('.', '_');

function guardName(guard: unknown): string | undefined {
  if (guard === undefined) return undefined;
  if (typeof guard === 'string') return guard;
  // XState's higher-order guards (and, or, not, stateIn) are functions named after themselves.
  if (typeof guard === 'function') return `${guard.name || 'guard'}(…)`;
  const g = guard as { type: string; params?: Record<string, unknown> };
  return g.params ? `${g.type}(${Object.values(g.params).join(', ')})` : g.type;
}

function label(eventType: string, delay: unknown, guard: unknown): string {
  const event = delay !== undefined ? `after ${String(delay)}` : eventType;
  const g = guardName(guard);
  return [event, g && `[${g}]`].filter(Boolean).join(' ');
}

export function chartFlowchart(machine: AnyStateMachine): string {
  const lines = ['flowchart TD'];
  const edges: string[] = [];
  const visit = (node: AnyStateNode, indent: string): void => {
    const initial = node.type === 'compound' ? node.initial.target[0]?.key : undefined;
    for (const child of Object.values(node.states) as AnyStateNode[]) {
      const name = `${child.key === initial ? '▸ ' : ''}${child.key}${child.type === 'parallel' ? ' ∥' : ''}`;
      if (Object.keys(child.states).length === 0) {
        lines.push(`${indent}${idOf(child)}["${name}"]`);
      } else {
        lines.push(`${indent}subgraph ${idOf(child)} ["${name}"]`);
        visit(child, `${indent}  `);
        lines.push(`${indent}end`);
      }
      const transitions = [...child.transitions.values()].flat().concat(child.always ?? []);
      for (const t of transitions) {
        const text = label(t.eventType, (t as { delay?: unknown }).delay, t.guard);
        for (const target of t.target ?? []) {
          edges.push(`  ${idOf(child)} -->${text ? `|"${text}"|` : ''} ${idOf(target as AnyStateNode)}`);
        }
      }
    }
  };
  visit(machine.root, '  ');
  return [...lines, ...edges].join('\n');
}
