/**
 * A small SMIv2 reader, enough to check the lab's OID tables against the MIB files in devices/snmp/mibs:
 * the `name <MACRO> … ::= { parent arc… }` assignments (OBJECT IDENTIFIER, MODULE-IDENTITY, OBJECT-TYPE,
 * NOTIFICATION-TYPE, groups, compliances) and each notification's OBJECTS clause. Not a full ASN.1
 * parser: macro definitions, type assignments and IMPORTS are skipped.
 */
export interface SmiAssignment {
  name: string;
  macro: string;
  parent: string;
  arcs: readonly number[];
  /** NOTIFICATION-TYPE OBJECTS clause, in order. */
  objects?: readonly string[];
}

/** Removes `"…"` strings and `--` comments (which end at the next `--` or the line's end). */
function stripStringsAndComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      i = end < 0 ? text.length : end + 1;
      out += '""';
    } else if (c === '-' && text[i + 1] === '-') {
      let j = i + 2;
      while (j < text.length && text[j] !== '\n' && !(text[j] === '-' && text[j + 1] === '-')) j++;
      i = text[j] === '-' ? j + 2 : j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const MACROS =
  'OBJECT IDENTIFIER|MODULE-IDENTITY|OBJECT-IDENTITY|OBJECT-TYPE|NOTIFICATION-TYPE|OBJECT-GROUP|NOTIFICATION-GROUP|MODULE-COMPLIANCE';
// Value names start lower-case in ASN.1, which keeps IMPORTS lists and SYNTAX clauses out.
const ASSIGNMENT = new RegExp(`\\b([a-z][A-Za-z0-9-]*)\\s+(${MACROS})\\b([^]*?)::=\\s*\\{([^}]*)\\}`, 'g');
const MACRO_DEFINITION = /\bMACRO\s*::=\s*BEGIN[^]*?\bEND\b/g;

/** Every OID assignment in one module's text. */
export function parseSmi(text: string): SmiAssignment[] {
  const clean = stripStringsAndComments(text).replace(MACRO_DEFINITION, '');
  const out: SmiAssignment[] = [];
  for (const m of clean.matchAll(ASSIGNMENT)) {
    const [, name, macro, body, value] = m as unknown as [string, string, string, string, string];
    // `{ iso 3 6 1 }` or `{ iso org(3) dod(6) 1 }`.
    const [parent, ...rest] = value.trim().split(/\s+/);
    const arcs = rest.map((arc) => {
      const n = /^(?:[a-z][\w-]*\()?(\d+)\)?$/.exec(arc);
      if (!n) throw new Error(`${name}: cannot read OID arc '${arc}'`);
      return Number(n[1]);
    });
    const assignment: SmiAssignment = { name, macro: macro.replace(/\s+/g, ' '), parent: parent!, arcs };
    const objects = /\bOBJECTS\s*\{([^}]*)\}/.exec(body);
    if (macro === 'NOTIFICATION-TYPE')
      assignment.objects = objects
        ? objects[1]!
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : [];
    out.push(assignment);
  }
  return out;
}

/** Resolves names across modules to dotted OIDs; `iso` is 1. */
export class SmiTree {
  readonly #assignments = new Map<string, SmiAssignment>();

  add(text: string): SmiAssignment[] {
    const parsed = parseSmi(text);
    for (const a of parsed) this.#assignments.set(a.name, a);
    return parsed;
  }

  get(name: string): SmiAssignment | undefined {
    return this.#assignments.get(name);
  }

  oid(name: string): string {
    if (name === 'iso') return '1';
    const a = this.#assignments.get(name);
    if (!a) throw new Error(`OID of '${name}' unknown: load the module that defines it`);
    return [this.oid(a.parent), ...a.arcs].join('.');
  }
}
