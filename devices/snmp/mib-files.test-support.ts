/** Loads a MIB module from devices/snmp/mibs (the Cisco licensing MIBs and their imports) with the roots it needs. */
import { readFileSync } from 'node:fs';
import { SmiTree, type SmiAssignment } from './smi-parser.test-support.ts';

const MIB_DIR = new URL('./mibs/', import.meta.url);

const read = (module: string): string => readFileSync(new URL(`${module}.my`, MIB_DIR), 'utf8');

/** The tree (SNMPv2-SMI, CISCO-SMI and `module`) and the module's own assignments' names by macro. */
export function loadMib(module: string): { tree: SmiTree; names: (macro: string) => string[] } {
  const tree = new SmiTree();
  tree.add(read('SNMPv2-SMI'));
  tree.add(read('CISCO-SMI'));
  const own: SmiAssignment[] = tree.add(read(module));
  return { tree, names: (macro) => own.filter((a) => a.macro === macro).map((a) => a.name) };
}
