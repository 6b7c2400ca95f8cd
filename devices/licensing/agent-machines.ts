/**
 * Every licensing agent's machine, built once for what reads their definitions (the lab's `--coverage`
 * lists each, also those no device of a run started). Not for running devices: those get theirs from their
 * environment.
 */
import type { AnyStateMachine } from 'xstate';
import { KeyRing } from './device-key.ts';
import { createSlpMachine } from './slp.machine.ts';
import { createSmartMachine } from './smart.machine.ts';
import { createTraditionalMachine } from './traditional.machine.ts';

export function agentMachines(clock: { now(): number }): AnyStateMachine[] {
  return [createSmartMachine(clock), createTraditionalMachine(clock), createSlpMachine(clock, new KeyRing())];
}
