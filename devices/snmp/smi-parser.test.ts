import { describe, expect, it } from 'vitest';
import { parseSmi, SmiTree } from './smi-parser.test-support.ts';

const MODULE = `
TEST-MIB DEFINITIONS ::= BEGIN
IMPORTS
    MODULE-IDENTITY, OBJECT-TYPE, NOTIFICATION-TYPE FROM SNMPv2-SMI;
testMIB MODULE-IDENTITY
    DESCRIPTION "a string with ::= { fake 9 } and -- no comment"
    ::= { iso org(3) dod(6) 1 99 }
testObjects OBJECT IDENTIFIER ::= { testMIB 0 } -- trailing comment ::= { x 1 }
-- testGhost OBJECT IDENTIFIER ::= { testMIB 7 }
testScalar OBJECT-TYPE
    SYNTAX  INTEGER { a(1), b(2) } -- inline -- MAX-ACCESS read-only
    ::= { testObjects 1 }
TestEntry ::= SEQUENCE { testScalar INTEGER }
testNotif NOTIFICATION-TYPE
    OBJECTS { testScalar,
              testOther }
    STATUS current
    ::= { testMIB 1 1 }
testBare NOTIFICATION-TYPE
    STATUS current
    ::= { testMIB 2 }
END
`;

describe('parseSmi', () => {
  it('reads assignments, skipping strings, comments, IMPORTS and type assignments', () => {
    const parsed = parseSmi(MODULE);
    expect(parsed.map((a) => `${a.name} ${a.macro} ${a.parent} ${a.arcs.join('.')}`)).toEqual([
      'testMIB MODULE-IDENTITY iso 3.6.1.99',
      'testObjects OBJECT IDENTIFIER testMIB 0',
      'testScalar OBJECT-TYPE testObjects 1',
      'testNotif NOTIFICATION-TYPE testMIB 1.1',
      'testBare NOTIFICATION-TYPE testMIB 2',
    ]);
    expect(parsed[3]!.objects).toEqual(['testScalar', 'testOther']);
    expect(parsed[4]!.objects).toEqual([]);
    expect(parsed[2]!.objects).toBeUndefined();
  });

  it('refuses an arc it cannot read', () => {
    expect(() => parseSmi('bad OBJECT IDENTIFIER ::= { iso x-y }')).toThrow("bad: cannot read OID arc 'x-y'");
  });
});

describe('SmiTree', () => {
  it('resolves names to dotted OIDs across modules', () => {
    const tree = new SmiTree();
    tree.add(MODULE);
    tree.add('otherThing OBJECT IDENTIFIER ::= { testScalar 5 }');
    expect(tree.oid('testScalar')).toBe('1.3.6.1.99.0.1');
    expect(tree.oid('otherThing')).toBe('1.3.6.1.99.0.1.5');
    expect(tree.get('testNotif')?.macro).toBe('NOTIFICATION-TYPE');
  });

  it('names the module to load for an unknown name', () => {
    expect(() => new SmiTree().oid('nowhere')).toThrow("OID of 'nowhere' unknown: load the module that defines it");
  });
});
