import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labFiles, readLabState, runningPid, writeJsonAtomic, type LabState } from './lab-state.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'lab-state-'));
const state: LabState = { version: 1, name: 'x', topologyFile: '/t.yaml', firstStart: 1, labTime: 2, told: ['a'] };

describe('lab state', () => {
  it('is absent in a new directory, and reads back what was written', () => {
    const d = dir();
    expect(readLabState(d)).toBeUndefined();
    writeJsonAtomic(labFiles(d).state, state);
    expect(readLabState(d)).toEqual(state);
    expect(existsSync(`${labFiles(d).state}.tmp`)).toBe(false);
  });

  it('refuses a damaged or foreign lab.json with the file named, and leaves it in place', () => {
    const d = dir();
    writeFileSync(labFiles(d).state, '{"version": 1, "name":');
    expect(() => readLabState(d)).toThrow(/lab\.json is not a readable lab state \(.*\); move it away to start over/);
    writeFileSync(labFiles(d).state, JSON.stringify({ ...state, labTime: 'noon' }));
    expect(() => readLabState(d)).toThrow(/lab\.json is not a lab state of this version/);
    writeFileSync(labFiles(d).state, JSON.stringify({ ...state, version: 2 }));
    expect(() => readLabState(d)).toThrow(/not a lab state of this version/);
    expect(readFileSync(labFiles(d).state, 'utf8')).toContain('"version":2');
  });

  it('knows a running lab by its pid file, and drops a stale one', () => {
    const d = dir();
    expect(runningPid(d)).toBeUndefined();
    writeFileSync(labFiles(d).pid, `${process.pid}\n`);
    expect(runningPid(d)).toBe(process.pid);
    // No process can have pid 2^22 + 1: Linux's pid_max is at most 2^22.
    writeFileSync(labFiles(d).pid, '4194305\n');
    expect(runningPid(d)).toBeUndefined();
    expect(existsSync(labFiles(d).pid)).toBe(false);
    writeFileSync(labFiles(d).pid, 'garbage');
    expect(runningPid(d)).toBeUndefined();
  });
});
