/**
 * The TLS identity of `lab up`'s syslog collector (RFC 5425): a CA kept in the lab's directory, so the
 * file a user's tools trust stays the same from one `lab up` to the next, and a server certificate for
 * localhost issued from it at each start. Validity is checked by real TLS peers against the host's clock,
 * so the certificate is dated by that clock, not by the lab's.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { rootCertificates } from 'node:tls';
import { MockCa } from '#cloud';
import { hostWallTime } from '../clock/index.ts';
import { UsageError } from '../usage-error.ts';

export interface CollectorTls {
  key: string;
  cert: string;
  /** The CA's certificate (PEM). */
  caPem: string;
}

export function collectorTls(files: { syslogCa: string; syslogCaKey: string }): CollectorTls {
  const ca = loadOrCreate(files);
  const { certPem, keyPem } = ca.issueServerCertificate({
    hostnames: ['localhost'],
    ips: ['127.0.0.1', '::1'],
    now: hostWallTime(),
  });
  return { key: keyPem, cert: certPem, caPem: ca.certPem };
}

function loadOrCreate(files: { syslogCa: string; syslogCaKey: string }): MockCa {
  if (existsSync(files.syslogCa) || existsSync(files.syslogCaKey)) {
    try {
      const certPem = readFileSync(files.syslogCa, 'utf8');
      const ca = MockCa.load({ certPem, keyPem: readFileSync(files.syslogCaKey, 'utf8') });
      const cert = new X509Certificate(certPem);
      if (!cert.ca) throw new Error('its certificate is not a CA');
      if (Date.parse(cert.validTo) <= hostWallTime()) throw new Error(`its certificate expired on ${cert.validTo}`);
      return ca;
    } catch (err) {
      throw new UsageError(
        `${files.syslogCa} and ${files.syslogCaKey} are not a CA the lab can use (${(err as Error).message}); ` +
          'move both away to start over',
      );
    }
  }
  const ca = MockCa.generate(hostWallTime(), { commonName: 'License Lab syslog CA' });
  const { certPem, keyPem } = ca.export();
  try {
    // Key first, certificate last, each whole or not at all: a stop in between leaves no half pair behind.
    writeAtomic(files.syslogCaKey, keyPem, 0o600);
    writeAtomic(files.syslogCa, certPem, 0o644);
  } catch (err) {
    rmSync(files.syslogCaKey, { force: true });
    throw new UsageError(`cannot write the syslog CA in ${dirname(files.syslogCa)}: ${(err as Error).message}`);
  }
  return ca;
}

function writeAtomic(file: string, text: string, mode: number): void {
  writeFileSync(`${file}.tmp`, text, { mode });
  renameSync(`${file}.tmp`, file);
}

/**
 * What the devices' sender trusts for `logging host … transport tls` and `--syslog tls:`: the lab
 * collector's CA, an external collector's (`--syslog-ca`), and the system's roots (`ca` replaces them).
 * One certificate an entry: OpenSSL stops reading a PEM bundle at its first bad block.
 */
export function senderTrust(labCaPem: string, extra: readonly string[]): string[] {
  return [labCaPem, ...extra, ...rootCertificates];
}

/** Each certificate of a PEM file, checked; the error names the block that is not one. */
export function pemCertificates(text: string): string[] {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error('holds no PEM certificate');
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch (err) {
      throw new Error(`certificate ${i + 1} of ${blocks.length} does not parse (${(err as Error).message})`, {
        cause: err,
      });
    }
  });
  return blocks;
}
