/**
 * IOS commands on a fleet's devices, as the lab's control API runs them for `lab exec` and `lab console`:
 * a selector picks the devices, each runs the line in its own shell (exec or config mode, as its console
 * left it), and the answer is what the console would print, per device.
 */
import type { Completion } from '#devices';
import type { FleetMember } from './fleet.ts';
import { parseSelector, selectNodes } from './selector.ts';

export interface ExecResult {
  hostname: string;
  /** The prompt the line was typed at. */
  prompt: string;
  output: string;
  /** The prompt after it (`conf t` moves to `(config)#`). */
  next: string;
}

/** Throws SelectorError on a selector it cannot read. */
export function execOn(members: readonly FleetMember[], select: string, command: string): ExecResult[] {
  return execEach(selectNodes(members, parseSelector(select)), command);
}

export function execEach(members: readonly FleetMember[], command: string): ExecResult[] {
  return members.map(({ node, device }) => {
    const prompt = device.shell.prompt();
    const output = command.trim() === '' ? '' : device.exec(command);
    return { hostname: node.hostname, prompt, output, next: device.shell.prompt() };
  });
}

export function memberNamed(members: readonly FleetMember[], hostname: string): FleetMember | undefined {
  const wanted = hostname.toLowerCase();
  return members.find((m) => m.node.hostname.toLowerCase() === wanted);
}

export function completeOn(member: FleetMember, line: string): Completion & { prompt: string } {
  return { ...member.device.shell.complete(line), prompt: member.device.shell.prompt() };
}
