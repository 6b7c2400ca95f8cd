/**
 * `license install <url>`: the file checked as a whole before anything is stored (size, text, frame, every
 * line's grammar and signature against the trusted portal keys, every line locked to this device, every
 * feature one the image knows), so a bad file installs nothing and leaves the storage bytes as they were.
 * Then the report IOS prints, line by line (S-ESCCNA, S-CCNA60: `Installing...Feature:datak9...Successful:Supported`,
 * `1/1 licenses were successfully installed`).
 */
import { parseLicenseFile, type LicenseFileErrorCode, type LicenseLine, type LicenseTrust, type Udi } from '#protocol';
import type { PlatformModel } from '../kinds/platform.ts';
import type { VerifiedInstall } from './traditional-context.ts';
import { featureNames, licenseFromLine, lockedHere, type License } from './traditional-licenses.ts';

/** What each refusal is called in the `% Error:` line (lab wording: no capture of a refused file exists). */
const REFUSAL: Record<LicenseFileErrorCode | 'UNKNOWN_FEATURE' | 'REVOKED', string> = {
  TOO_LARGE: 'License file is too large',
  NOT_TEXT: 'Not a license file',
  EMPTY: 'License file is empty',
  TRUNCATED: 'License file is truncated',
  MALFORMED_LINE: 'Invalid license line',
  BAD_SIGNATURE: 'License signature verification failed',
  FOREIGN_UDI: 'License is not valid for this device (UDI mismatch)',
  REVOKED: 'License was revoked on this device (rehost)',
  UNKNOWN_FEATURE: 'License feature is not supported by this image',
};

export type InstallCheck =
  { ok: false; error: string } | { ok: true; lines: readonly LicenseLine[]; fresh: readonly VerifiedInstall[] };

/** A refused file as the device prints it: `% <what> (line n): <detail>. No license was <undone>.` */
export function refusalLine(what: string, message: string, line: number | undefined, undone: string): string {
  const where = line === undefined ? '' : ` (line ${line})`;
  return `% ${what}${where}: ${message}. No license was ${undone}.`;
}

function refuse(code: keyof typeof REFUSAL, message: string, line?: number): InstallCheck {
  return { ok: false, error: refusalLine(REFUSAL[code], message, line, 'installed') };
}

export function checkInstall(
  text: string,
  input: {
    trust: LicenseTrust;
    platform: PlatformModel;
    udi: Udi;
    licenses: readonly License[];
    /** Keys of lines revoked here: a rehosted license does not come back from its old file. */
    revoked: ReadonlySet<string>;
    nextStoreIndex: number;
    now: number;
  },
): InstallCheck {
  const parsed = parseLicenseFile(text, input.trust);
  if (!parsed.ok) return refuse(parsed.error.code, parsed.error.message, parsed.error.line);
  const { lines } = parsed.value;
  const { platform, udi } = input;
  const foreign = lines.find((l) => !lockedHere(l.udi, platform, udi));
  if (foreign)
    return refuse(
      'FOREIGN_UDI',
      `feature ${foreign.feature} is locked to ${foreign.udi!.pid}:${foreign.udi!.sn}, not ${platform.licenseUdiPid ?? udi.pid}:${udi.sn}`,
    );
  const features = featureNames(platform);
  const unknown = lines.find((l) => !features.includes(l.feature));
  if (unknown) return refuse('UNKNOWN_FEATURE', `${unknown.feature}; features: ${features.join(', ')}`);
  const gone = lines.find((l) => input.revoked.has(l.id));
  if (gone) return refuse('REVOKED', `feature ${gone.feature}, license ${gone.id}`);
  const have = new Set(input.licenses.map((l) => l.key));
  const fresh: VerifiedInstall[] = [];
  for (const l of lines) {
    if (have.has(l.id)) continue;
    have.add(l.id);
    const installed = {
      text: l.text,
      storeIndex: input.nextStoreIndex + fresh.length,
      comment: '',
      installedAt: input.now,
    };
    fresh.push({ installed, license: licenseFromLine(l, installed) });
  }
  return { ok: true, lines, fresh };
}

/** The per-line report and the three totals; a line already installed is counted as existing. */
export function installReport(url: string, check: Extract<InstallCheck, { ok: true }>): string {
  const freshIds = new Set(check.fresh.map((v) => v.license.key));
  const n = check.lines.length;
  const rows = check.lines.map(
    (l) => `Installing...Feature:${l.feature}...${freshIds.has(l.id) ? 'Successful:Supported' : 'Skipped:Existing'}`,
  );
  return [
    `Installing licenses from "${url}"`,
    ...rows,
    `${check.fresh.length}/${n} licenses were successfully installed`,
    `${n - check.fresh.length}/${n} licenses were existing licenses`,
    `0/${n} licenses were failed to install`,
    '',
  ].join('\n');
}
