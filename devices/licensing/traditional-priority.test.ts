/**
 * `license modify priority <feature> {high|low}`: the feature's installed lines get the priority, kept in
 * storage, shown at once, and used when the next boot picks the license a level runs on.
 */
import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '../storage/memory-backend.ts';
import { fileFor, install, linesOf, reloadWith, traditionalLab } from './traditional.test-support.ts';

function lab() {
  const { clock, device } = traditionalLab();
  const storage = new MemoryBackend();
  const d = device({ pid: 'ISR4331/K9', sn: 'FDO2214A18T', release: '16.9.6', storage });
  install(d, fileFor(d, ['ipbasek9']));
  const line = d.traditional()!.licenses.find((l) => l.feature === 'ipbasek9' && l.text)!.key;
  return { clock, d, storage, line };
}

describe('license modify priority', () => {
  it('high makes the installed line serve the level from the next boot; low gives it back to the factory license', async () => {
    const { clock, d, line } = lab();
    expect(d.traditional()!.running.license).toBe('factory:ipbasek9');
    expect(d.exec('license modify priority ipbasek9 high')).toBe('');
    expect(linesOf(d, 'UPDATE')).toEqual([
      expect.stringMatching(
        /%LICENSE-6-UPDATE: Feature ipbasek9 1.0 was updated on this device. UDI=ISR4331\/K9:FDO2214A18T; StoreIndex=1:Primary License Storage$/,
      ),
    ]);
    expect(d.exec('show license detail')).toMatch(/Store Index: 0[\s\S]*License Priority: High\n\tStore Index: 1\n/);
    // Chosen at boot: this boot still runs on the factory license.
    expect(d.traditional()!.running.license).toBe('factory:ipbasek9');
    await reloadWith(clock, d);
    expect(d.traditional()!.running.license).toBe(line);
    expect(d.traditional()!.licenses.find((l) => l.key === line)?.priority).toBe('high');
    d.exec('license modify priority ipbasek9 low');
    await reloadWith(clock, d);
    expect(d.traditional()!.running.license).toBe('factory:ipbasek9');
  });

  it('refuses a feature the image lacks or one without installed lines, changing nothing', () => {
    const { d, storage } = lab();
    const before = Buffer.from(storage.read('FDO2214A18T')!);
    expect(d.exec('license modify priority nosuch high')).toMatch(
      /^% Feature nosuch is not licensable here; features: /,
    );
    expect(d.exec('license modify priority uck9 low')).toBe(
      '% No installed license of feature uck9 (built-in licenses stay)\n',
    );
    expect(d.exec('license modify priority ipbasek9 medium')).toMatch(/% Invalid input detected/);
    expect(storage.read('FDO2214A18T')!.equals(before)).toBe(true);
    expect(linesOf(d, 'UPDATE')).toEqual([]);
  });
});
