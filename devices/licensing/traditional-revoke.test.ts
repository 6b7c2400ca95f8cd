/**
 * `license revoke` refusals lose nothing: a ticket with a bad signature, for another UDI, or naming a
 * license the device does not hold leaves the storage bytes as they were and writes no rehost ticket.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatPermissionTicket, type Udi } from '#protocol';
import { licenseLine } from '#test-support/license-files.ts';
import { MemoryBackend } from '../storage/memory-backend.ts';
import { fileFor, install, linesOf, signer, stranger, traditionalLab } from './traditional.test-support.ts';

const id = () => randomBytes(8).toString('hex');
const secret = randomBytes(32).toString('base64url');

function ticket(udi: Udi, revoke: string[], graceSigner = signer): string {
  const grace = licenseLine(graceSigner, udi, 'securityk9', { type: 'gracePeriod', periodSeconds: 60 * 86_400 });
  return formatPermissionTicket({ id: id(), udi, revoke, secret, graceLines: [grace] });
}

describe('license revoke refusals', () => {
  const cases: [string, (udi: Udi, held: string) => string, RegExp][] = [
    ['a grace line signed by an untrusted key', (u, h) => ticket(u, [h], stranger), /signature verification failed/],
    ['another UDI', (u, h) => ticket({ ...u, sn: 'FTX9999ZZZZ' }, [h]), /not valid for this device \(UDI mismatch\)/],
    ['a license not held', (u) => ticket(u, [id()]), /^% License to revoke is not installed: license [0-9a-f]{16}/],
  ];
  it.each(cases)('%s', (_what, make, error) => {
    const { device } = traditionalLab();
    const storage = new MemoryBackend();
    const d = device({ storage });
    install(d, fileFor(d, ['securityk9']));
    const held = d.traditional()!.licenses.find((l) => l.text !== undefined)!.key;
    d.putFile('flash:ticket.txt', make(d.udi, held));
    const before = Buffer.from(storage.read('FTX1524ABCD')!);
    const out = d.exec('license revoke flash:ticket.txt flash:rehost.txt');
    expect(out).toMatch(error);
    expect(out).toMatch(/No license was revoked\.\n$/);
    expect(storage.read('FTX1524ABCD')!.equals(before)).toBe(true);
    expect(d.fileNames()).not.toContain('rehost.txt');
    expect(linesOf(d, 'REVOKED')).toEqual([]);
  });

  it('revokes an installed license not in use, keeping the level where it is', () => {
    const { device } = traditionalLab();
    const d = device();
    install(d, fileFor(d, ['securityk9']));
    const held = d.traditional()!.licenses.find((l) => l.text !== undefined)!.key;
    d.putFile('flash:ticket.txt', ticket(d.udi, [held]));
    expect(d.exec('license revoke flash:ticket.txt flash:rehost.txt')).toContain('Rehost ticket saved');
    expect(d.readFile('flash:rehost.txt')).toMatchObject({
      ok: true,
      output: expect.stringMatching(/^REHOST-TICKET v=1 /),
    });
    expect(d.traditional()).toMatchObject({ phase: 'permanent', revoked: [{ key: held, feature: 'securityk9' }] });
    expect(linesOf(d, 'REVOKED')).toHaveLength(1);
  });
});
