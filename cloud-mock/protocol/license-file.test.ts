import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkLicenseUdi,
  createLicenseTrust,
  formatLicenseFile,
  formatLicenseLine,
  licenseFileName,
  licenseKeyId,
  MAX_LICENSE_FILE_BYTES,
  parseLicenseFile,
  parseLicenseLine,
  type LicenseFields,
  type LicenseSigner,
} from './index.ts';

/** A signer like the portal's (ca/license-signing-key.ts), without importing out of protocol/. */
function signer(): LicenseSigner & { publicKey: ReturnType<typeof generateKeyPairSync>['publicKey'] } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    issuer: 'LicenseLabPortal',
    keyId: licenseKeyId(publicKey),
    publicKey,
    sign: (text) => sign(null, Buffer.from(text), privateKey).toString('base64url'),
  };
}

const T = Date.parse('2026-01-01T00:00:00Z');
const portal = signer();
const trust = createLicenseTrust([portal.publicKey.export({ type: 'spki', format: 'pem' }) as string]);
const UDI = { pid: 'CISCO2911/K9', sn: 'FTX1524ABCD' };

const fields = (over: Partial<LicenseFields> = {}): LicenseFields => ({
  id: '0123456789abcdef',
  feature: 'securityk9',
  version: '1.0',
  type: 'permanent',
  udi: UDI,
  count: null,
  priority: 'medium',
  periodSeconds: null,
  startAt: null,
  endAt: null,
  issuedAt: T,
  ...over,
});
const line = formatLicenseLine(fields(), portal);
const file = formatLicenseFile(
  [line, formatLicenseLine(fields({ id: 'fedcba9876543210', feature: 'datak9' }), portal)],
  ['License Lab portal', 'PAK: 3A1B2C3D4E5'],
);

const errorOf = (r: ReturnType<typeof parseLicenseFile>) => (r.ok ? undefined : r.error);

describe('license lines', () => {
  it('round-trip every field, and the text is what was signed', () => {
    const r = parseLicenseLine(line, trust);
    expect(r).toEqual({
      ok: true,
      value: { ...fields(), issuer: 'LicenseLabPortal', keyId: portal.keyId, text: line },
    });
    expect(line).toMatch(/^LIC v=1 id=0123456789abcdef feature=securityk9 version=1\.0 type=permanent /);
    expect(line).toContain(' pid=CISCO2911/K9 sn=FTX1524ABCD count=uncounted priority=medium period=none ');
  });

  it('carry the types with their validity: metered period, subscription dates, counts, not node-locked demos', () => {
    const cases: Partial<LicenseFields>[] = [
      { type: 'demo', periodSeconds: 60 * 86400, priority: 'low' },
      { type: 'demo', periodSeconds: 60 * 86400, udi: null },
      { type: 'extension', periodSeconds: 60 * 86400 },
      { type: 'gracePeriod', periodSeconds: 60 * 86400 },
      { type: 'paidSubscription', startAt: T, endAt: T + 365 * 86400_000 },
      { type: 'evaluationSubscription', startAt: T, endAt: T + 30 * 86400_000 },
      { type: 'rightToUse', feature: 'ipservices' },
      { type: 'permanent', feature: 'cme-srst', count: 25, priority: 'high' },
    ];
    for (const c of cases) {
      const r = parseLicenseLine(formatLicenseLine(fields(c), portal), trust);
      expect(r.ok && r.value).toMatchObject(c);
    }
  });

  it('refuse to format what no reader would accept', () => {
    expect(() => formatLicenseLine(fields({ type: 'demo' }), portal)).toThrow(/usage period/);
    expect(() => formatLicenseLine(fields({ udi: null }), portal)).toThrow(/node-locked/);
    expect(() => formatLicenseLine(fields({ feature: 'has space' }), portal)).toThrow(/fields/);
    expect(() => formatLicenseLine(fields({ type: 'paidSubscription' }), portal)).toThrow(/start and end/);
  });

  it('edited in any one character: never accepted (bad signature or malformed)', () => {
    const codes = new Set<string>();
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      const other = c === 'a' ? 'b' : c === '1' ? '2' : c === ' ' ? '_' : /[A-Z]/.test(c) ? c.toLowerCase() : 'a';
      const r = parseLicenseLine(line.slice(0, i) + other + line.slice(i + 1), trust);
      expect(r.ok, `edit at ${i} (${c} -> ${other})`).toBe(false);
      if (!r.ok) codes.add(r.error.code);
    }
    expect([...codes].sort()).toEqual(['BAD_SIGNATURE', 'MALFORMED_LINE']);
    const edited = line.replace('feature=securityk9', 'feature=securityk8');
    expect(parseLicenseLine(edited, trust)).toMatchObject({
      ok: false,
      error: { code: 'BAD_SIGNATURE', message: 'feature securityk8: the signature does not verify (line altered)' },
    });
  });

  it('re-signed with another key: refused whether the key id is kept or replaced', () => {
    const rogue = signer();
    const theirs = formatLicenseLine(fields(), rogue);
    expect(parseLicenseLine(theirs, trust)).toMatchObject({
      ok: false,
      error: { code: 'BAD_SIGNATURE', message: expect.stringContaining(`signed by key ${rogue.keyId}`) },
    });
    const unsigned = line.slice(0, line.lastIndexOf(' sig='));
    expect(parseLicenseLine(`${unsigned} sig=${rogue.sign(unsigned)}`, trust)).toMatchObject({
      ok: false,
      error: { code: 'BAD_SIGNATURE', message: expect.stringContaining('does not verify') },
    });
    // The rogue key verifies its own lines: trust is what decides.
    expect(parseLicenseLine(theirs, createLicenseTrust([rogue.publicKey])).ok).toBe(true);
  });
});

describe('parseLicenseFile', () => {
  it('reads comments and every line of a portal file', () => {
    const r = parseLicenseFile(file, trust);
    expect(r.ok && r.value.comments).toEqual(['License Lab portal', 'PAK: 3A1B2C3D4E5']);
    expect(r.ok && r.value.lines.map((l) => l.feature)).toEqual(['securityk9', 'datak9']);
    expect(parseLicenseFile(Buffer.from(file.replaceAll('\n', '\r\n')), trust).ok).toBe(true);
  });

  it('truncated anywhere: TRUNCATED or a line-level refusal, never a partial file', () => {
    for (let cut = 1; cut < file.length - 1; cut += 7) {
      const e = errorOf(parseLicenseFile(file.slice(0, cut), trust));
      expect(e?.code, `cut at ${cut}`).toMatch(/^(TRUNCATED|MALFORMED_LINE|BAD_SIGNATURE|EMPTY)$/);
    }
    const lastLine = file.indexOf('\nEND');
    expect(errorOf(parseLicenseFile(file.slice(0, lastLine), trust))).toMatchObject({
      code: 'TRUNCATED',
      message: 'license file ends without its END line after 2 line(s): it was cut off',
    });
    const dropped = file.replace(`${line}\n`, '');
    expect(errorOf(parseLicenseFile(dropped, trust))).toMatchObject({ code: 'TRUNCATED', line: 5 });
  });

  it('refuses a 50 MB input, and anything over 1 MiB, as TOO_LARGE', () => {
    // How fast (by its length, before any decoding) is for benchmarks, not a timed test on a shared CI box.
    const huge = Buffer.alloc(50 * 1024 * 1024, 0x41);
    expect(errorOf(parseLicenseFile(huge, trust))?.code).toBe('TOO_LARGE');
    expect(errorOf(parseLicenseFile('#'.repeat(MAX_LICENSE_FILE_BYTES + 1), trust))?.code).toBe('TOO_LARGE');
    // Multi-byte UTF-8 under the character limit but over the byte limit.
    expect(errorOf(parseLicenseFile('é'.repeat(MAX_LICENSE_FILE_BYTES / 2 + 1), trust))?.code).toBe('TOO_LARGE');
  });

  it('refuses binaries (a zip), empty files, other headers and text after END', () => {
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]);
    expect(errorOf(parseLicenseFile(zip, trust))).toMatchObject({ code: 'NOT_TEXT' });
    expect(errorOf(parseLicenseFile(' \n\n', trust))?.code).toBe('EMPTY');
    expect(errorOf(parseLicenseFile('LICENSE-FILE v=1\nEND lines=0\n', trust))?.code).toBe('EMPTY');
    expect(errorOf(parseLicenseFile(file.replace('LICENSE-FILE v=1', 'LICENSE-FILE v=2'), trust))?.code).toBe(
      'MALFORMED_LINE',
    );
    expect(errorOf(parseLicenseFile(`${file}LIC more\n`, trust))).toMatchObject({ code: 'MALFORMED_LINE', line: 7 });
    expect(errorOf(parseLicenseFile(file.replace(line, 'garbage'), trust))).toMatchObject({
      code: 'MALFORMED_LINE',
      line: 4,
    });
  });

  it('one tampered line refuses the whole file', () => {
    const r = parseLicenseFile(file.replace('feature=datak9', 'feature=uck9'), trust);
    expect(errorOf(r)).toMatchObject({ code: 'BAD_SIGNATURE', line: 5 });
  });
});

describe('checkLicenseUdi and file names', () => {
  it('names the first line locked to another device; non-node-locked lines fit any', () => {
    const r = parseLicenseFile(file, trust);
    if (!r.ok) throw new Error(r.error.message);
    expect(checkLicenseUdi(r.value.lines, UDI)).toBeUndefined();
    expect(checkLicenseUdi(r.value.lines, { pid: 'CISCO2911/K9', sn: 'FTX0000ZZZZ' })).toEqual({
      code: 'FOREIGN_UDI',
      message: 'feature securityk9 is locked to CISCO2911/K9:FTX1524ABCD, not CISCO2911/K9:FTX0000ZZZZ',
    });
    expect(checkLicenseUdi([fields({ udi: null, type: 'demo', periodSeconds: 1 })], { pid: 'X', sn: 'Y' })).toBe(
      undefined,
    );
  });

  it('are <SN>_<timestamp with ms>.lic', () => {
    expect(licenseFileName('FHH1216P07R', Date.parse('2009-05-28T16:35:10.702Z'))).toBe(
      'FHH1216P07R_20090528163510702.lic',
    );
  });
});
