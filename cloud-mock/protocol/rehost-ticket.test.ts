import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkRehostProof,
  createLicenseTrust,
  formatLicenseLine,
  formatPermissionTicket,
  formatRehostTicket,
  licenseKeyId,
  parsePermissionTicket,
  parseRehostTicket,
} from './index.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signer = {
  issuer: 'LicenseLabPortal',
  keyId: licenseKeyId(publicKey),
  sign: (text: string) => sign(null, Buffer.from(text), privateKey).toString('base64url'),
};
const trust = createLicenseTrust([publicKey]);
const udi = { pid: 'CISCO2911/K9', sn: 'FTX1524ABCD' };
const grace = formatLicenseLine(
  {
    id: '1111111111111111',
    feature: 'securityk9',
    version: '1.0',
    type: 'gracePeriod',
    udi,
    count: null,
    priority: 'low',
    periodSeconds: 60 * 86400,
    startAt: null,
    endAt: null,
    issuedAt: Date.parse('2026-01-01T00:00:00Z'),
  },
  signer,
);
const ticketText = formatPermissionTicket(
  {
    id: 'abcdefabcdefabcd',
    udi,
    revoke: ['0123456789abcdef'],
    secret: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ',
    graceLines: [grace],
  },
  ['permission ticket'],
);

describe('rehost documents', () => {
  it('a permission ticket round-trips with its verified grace lines; the rehost ticket proves it', () => {
    const t = parsePermissionTicket(ticketText, trust);
    if (!t.ok) throw new Error(t.error.message);
    expect(t.value).toMatchObject({ id: 'abcdefabcdefabcd', udi, revoke: ['0123456789abcdef'] });
    expect(t.value.graceLines.map((l) => l.text)).toEqual([grace]);
    const rehost = parseRehostTicket(formatRehostTicket(t.value, t.value.revoke));
    if (!rehost.ok) throw new Error(rehost.error.message);
    expect(rehost.value).toMatchObject({ permissionTicketId: 'abcdefabcdefabcd', udi, revoked: ['0123456789abcdef'] });
    expect(checkRehostProof(rehost.value, t.value.secret)).toBe(true);
    expect(checkRehostProof(rehost.value, 'b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA')).toBe(false);
    const edited = parseRehostTicket(formatRehostTicket(t.value, t.value.revoke).replace('FTX1524ABCD', 'FTX1524ABCE'));
    expect(edited.ok && checkRehostProof(edited.value, t.value.secret)).toBe(false);
  });

  it('refuses tickets with altered grace lines, other line types, bad headers, and garbage', () => {
    expect(parsePermissionTicket(ticketText.replace('feature=securityk9', 'feature=datak9'), trust)).toMatchObject({
      ok: false,
      error: { code: 'BAD_SIGNATURE' },
    });
    expect(parsePermissionTicket(ticketText.replace('revoke=0123456789abcdef', 'revoke=xyz'), trust)).toMatchObject({
      ok: false,
      error: { code: 'MALFORMED_LINE' },
    });
    expect(parsePermissionTicket(ticketText.replace(/END lines=1\n$/, ''), trust)).toMatchObject({
      ok: false,
      error: { code: 'TRUNCATED' },
    });
    for (const garbage of ['', 'REHOST-TICKET v=1', 'x'.repeat(20_000), `${'REHOST-TICKET '.repeat(3)}proof=abc`])
      expect(parseRehostTicket(garbage).ok).toBe(false);
  });
});
