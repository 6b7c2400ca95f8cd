/**
 * Lab fault rules: for requests whose path matches a pattern, answer a status code, add a delay (in lab
 * time), or drop the exchange. Rules apply in the order they were added; the first match wins. Lab
 * control paths (/lab/…) are never faulted, so a test can always clear its faults.
 */
import { randomUUID } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { fail } from '../domain/index.ts';

export const FaultRuleInput = Type.Object(
  {
    path: Type.String({
      minLength: 1,
      maxLength: 512,
      description: 'glob: * matches any characters, e.g. /licservice/license/*',
    }),
    method: Type.Optional(Type.Union(['GET', 'POST', 'PUT', 'DELETE'].map((m) => Type.Literal(m)))),
    status: Type.Optional(
      Type.Integer({ minimum: 400, maximum: 599, description: 'answer this status (error body code FAULT_INJECTED)' }),
    ),
    delayMs: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 365 * 24 * 3600 * 1000,
        description: 'lab-time delay before handling (or before the status)',
      }),
    ),
    drop: Type.Optional(Type.Boolean({ description: 'destroy the connection without an answer' })),
    times: Type.Optional(Type.Integer({ minimum: 1, description: 'apply to this many requests, then retire' })),
  },
  { additionalProperties: false },
);
export type FaultRuleInput = Static<typeof FaultRuleInput>;

export interface FaultRule extends FaultRuleInput {
  id: string;
  hits: number;
}

export type FaultAction = { delayMs: number; then: 'continue' | 'status' | 'drop'; status?: number; rule: FaultRule };

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

export class FaultInjector {
  private rules: { rule: FaultRule; re: RegExp }[] = [];

  add(input: FaultRuleInput): FaultRule {
    if (input.status === undefined && input.delayMs === undefined && !input.drop) {
      fail('INVALID_VALUE', 'a fault rule needs at least one of status, delayMs or drop');
    }
    if (input.status !== undefined && input.drop)
      fail('INVALID_VALUE', 'a fault rule cannot both answer a status and drop the connection');
    const rule: FaultRule = { ...input, id: randomUUID(), hits: 0 };
    this.rules.push({ rule, re: globToRegExp(input.path) });
    return rule;
  }

  list(): FaultRule[] {
    return this.rules.map((r) => r.rule);
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.rule.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  /** The action for this request, counting the hit; undefined when no rule applies. */
  match(method: string, path: string): FaultAction | undefined {
    if (this.rules.length === 0 || path.startsWith('/lab/')) return undefined;
    const hit = this.rules.find(({ rule, re }) => (!rule.method || rule.method === method) && re.test(path));
    if (!hit) return undefined;
    const { rule } = hit;
    rule.hits += 1;
    if (rule.times !== undefined && rule.hits >= rule.times) this.remove(rule.id);
    const then = rule.drop ? 'drop' : rule.status !== undefined ? 'status' : 'continue';
    return { delayMs: rule.delayMs ?? 0, then, ...(rule.status !== undefined ? { status: rule.status } : {}), rule };
  }
}
