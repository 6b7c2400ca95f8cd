/**
 * The TLS identity of `lab up`'s syslog collector (RFC 5425): a CA kept in the lab's directory, so the
 * file a user's tools trust stays the same from one `lab up` to the next, and a server certificate for
 * localhost issued from it at each start. Validity is checked by real TLS peers against the host's clock,
 * so the certificate is dated by that clock, not by the lab's.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
      return MockCa.load({
        certPem: readFileSync(files.syslogCa, 'utf8'),
        keyPem: readFileSync(files.syslogCaKey, 'utf8'),
      });
    } catch (err) {
      throw new UsageError(
        `${files.syslogCa} and ${files.syslogCaKey} are not a CA the lab can use (${(err as Error).message}); ` +
          'move both away to start over',
      );
    }
  }
  const ca = MockCa.generate(hostWallTime(), { commonName: 'License Lab syslog CA' });
  const { certPem, keyPem } = ca.export();
  writeFileSync(files.syslogCaKey, keyPem, { mode: 0o600 });
  writeFileSync(files.syslogCa, certPem);
  return ca;
}

/**
 * What the devices' sender trusts for `logging host … transport tls` and `--syslog tls:`: the lab
 * collector's CA, an external collector's (`--syslog-ca`), and the system's roots (`ca` replaces them).
 */
export function senderTrust(labCaPem: string, extraPem: string | undefined): string {
  return [labCaPem, ...(extraPem ? [extraPem] : []), ...rootCertificates].join('\n');
}
