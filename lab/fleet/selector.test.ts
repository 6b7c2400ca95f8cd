import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSelector, selectNodes, SelectorError } from './selector.ts';
import { parseTopology } from './topology.ts';

const demo = parseTopology(
  readFileSync(new URL('../../scenarios/topologies/demo.topology.yaml', import.meta.url), 'utf8'),
  '/t/demo.topology.yaml',
  {},
);
const members = demo.nodes.map((node) => ({ node }));
const hosts = (text: string) => selectNodes(members, parseSelector(text)).map((m) => m.node.hostname);

describe('selectors', () => {
  it('all, hostnames and globs', () => {
    expect(hosts('all')).toHaveLength(1000);
    // Hostnames and globs are a list: a device on any of them.
    expect(hosts('par-edge-01 par-metro-*')).toHaveLength(11);
    expect(hosts('par-edge-* site=paris')).toHaveLength(30);
    expect(hosts('par-edge-0*')).toEqual([
      'par-edge-01',
      'par-edge-02',
      'par-edge-03',
      'par-edge-04',
      'par-edge-05',
      'par-edge-06',
      'par-edge-07',
      'par-edge-08',
      'par-edge-09',
    ]);
    expect(hosts('hostname=par-edge-01|MRS-LEGACY-02')).toEqual(['par-edge-01', 'mrs-legacy-02']);
  });

  it('site, group, kind, pid and labels; every term must hold', () => {
    expect(hosts('site=marseille')).toHaveLength(100 + 80 + 10);
    expect(hosts('site=marseille role=branch')).toHaveLength(80);
    expect(hosts('group=edge|metro')).toHaveLength(40);
    expect(hosts('kind=isr-4000 site=paris')).toHaveLength(50);
    expect(hosts('pid=c9300-48p')).toHaveLength(400);
    expect(hosts('site=nowhere')).toEqual([]);
  });

  it('a seeded share: exact in size, the same for the same seed, another for another seed', () => {
    const tenth = hosts('pid=C9300-48P 10%');
    expect(tenth).toHaveLength(40);
    expect(tenth.every((h) => h.startsWith('par-sw-'))).toBe(true);
    expect(hosts('pid=C9300-48P 10%@0')).toEqual(tenth);
    expect(hosts('pid=C9300-48P 10%@7')).not.toEqual(tenth);
    expect(hosts('group=edge 1%')).toHaveLength(1);
    expect(hosts('100%')).toHaveLength(1000);
  });

  it('refuses what it cannot read, saying what it takes', () => {
    const refusal = (text: string) => {
      try {
        parseSelector(text);
      } catch (err) {
        expect(err).toBeInstanceOf(SelectorError);
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(refusal('  ')).toBe('an empty selector selects nothing; write "all" for every device');
    expect(refusal('0%')).toBe('share 0%: the percentage must be above 0 and at most 100');
    expect(refusal('150%')).toMatch(/at most 100/);
    expect(refusal('10% 20%')).toBe('share 20%: a selector takes one share');
    expect(refusal('si.te=x')).toBe(
      '"si.te" in si.te=x is not a key; try site=, group=, pid=, kind=, hostname= or a label',
    );
    expect(refusal('=lyon')).toMatch(/^"=lyon" is not a selector term/);
    expect(refusal('@#!')).toMatch(/^"@#!" is not a selector term: write a hostname/);
  });
});
