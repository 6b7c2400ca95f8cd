/** The failure-reason table: every transport failure has a reason per transport type, and every row a source. */
import { describe, expect, it } from 'vitest';
import { errorCatalogue } from '#protocol';
import { commFailureReason, commFailureReasons, refusalReason, refusalReasons } from './failure-reasons.ts';
import type { TransportFailureKind } from './transport.ts';

describe('failure reasons', () => {
  it('covers every transport failure kind for both transport types', () => {
    const kinds: TransportFailureKind[] = ['refused', 'reset', 'timeout', 'dns', 'tls', 'empty'];
    for (const kind of kinds)
      for (const type of ['Callhome', 'Smart'] as const) expect(commFailureReason(kind, type)).toMatch(/\S/);
    expect(commFailureReason('dns', 'Callhome')).toBe('Fail to send out Call Home HTTP message.');
    expect(commFailureReason('dns', 'Smart')).toBe('Unable to resolve server hostname/domain name');
  });

  it('names a source on every row and refuses only catalogue codes', () => {
    for (const row of [...Object.values(commFailureReasons), ...Object.values(refusalReasons)])
      expect(row.source).toMatch(/\S{3}/);
    for (const code of Object.keys(refusalReasons)) expect(errorCatalogue).toHaveProperty(code);
  });

  it('falls back to the cloud message for codes without an IOS reason', () => {
    expect(refusalReason('TOKEN_EXPIRED', 'ignored', 'Smart')).toBe('The ID token has expired.');
    expect(refusalReason('KEY_INVALID', 'RSA-1024 keys are not accepted', 'Smart')).toBe(
      'RSA-1024 keys are not accepted',
    );
  });
});
