/**
 * License files as the portal issues them and devices install them: a human-readable part (`#` comments), a
 * header, license lines (license-line.ts) and an `END lines=<n>` trailer, so a cut-off file is told apart.
 * The size limits are checked before any byte is looked at; parsing never throws on input.
 */
import {
  licenseError,
  LICENSE_FORMAT_VERSION,
  MAX_LINE_CHARS,
  licenseOk,
  parseLicenseLine,
  type LicenseFields,
  type LicenseFileError,
  type LicenseLine,
  type LicenseResult,
  type LicenseTrust,
} from './license-line.ts';

/** Files over this are refused before parsing (a 50 MB upload costs one length check). */
export const MAX_LICENSE_FILE_BYTES = 1024 * 1024;
/** License lines per file; a device holds a few dozen at most. */
export const MAX_LICENSE_LINES = 256;
export const FILE_HEADER = `LICENSE-FILE v=${LICENSE_FORMAT_VERSION}`;

export interface LicenseFile {
  /** The `#` lines without their `# `, in order. */
  comments: string[];
  lines: LicenseLine[];
}

/** A license file: comments, the header, the lines, and `END lines=<n>` (so a cut-off file is told apart). */
export function formatLicenseFile(lines: readonly string[], comments: readonly string[] = []): string {
  return `${[...comments.map((c) => `# ${c}`), FILE_HEADER, ...lines, `END lines=${lines.length}`].join('\n')}\n`;
}

export interface Envelope {
  comments: string[];
  /** The header line (first non-comment line). */
  header: string;
  items: { text: string; lineNo: number }[];
}

/**
 * The frame every portal document shares (license files, permission tickets): size and character checks
 * first, then comments, one header line, items, and the `END lines=<n>` trailer.
 */
export function readEnvelope(input: string | Uint8Array, what = 'license file'): LicenseResult<Envelope> {
  // String length counts UTF-16 units, never more than the UTF-8 bytes: a cheap first cut.
  if (input.length > MAX_LICENSE_FILE_BYTES)
    return licenseError('TOO_LARGE', `${what} is ${input.length} bytes; at most ${MAX_LICENSE_FILE_BYTES}`);
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input);
  if (bytes.length > MAX_LICENSE_FILE_BYTES)
    return licenseError('TOO_LARGE', `${what} is ${bytes.length} bytes; at most ${MAX_LICENSE_FILE_BYTES}`);
  // Printable ASCII, tab and line breaks only: a zip, a binary or a UTF-16 file stops here.
  const bad = bytes.findIndex((b) => (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b > 0x7e);
  if (bad >= 0)
    return licenseError('NOT_TEXT', `${what} is not ASCII text (byte 0x${bytes[bad]!.toString(16)} at ${bad})`);
  const text = bytes.toString('latin1');
  if (text.trim() === '') return licenseError('EMPTY', `${what} is empty`);
  const rows = text.split('\n');
  const comments: string[] = [];
  const items: Envelope['items'] = [];
  let header: string | undefined;
  for (const [i, raw] of rows.entries()) {
    const row = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const lineNo = i + 1;
    if (row.length > MAX_LINE_CHARS)
      return licenseError('MALFORMED_LINE', `line is over ${MAX_LINE_CHARS} characters`, lineNo);
    if (row.trim() === '') continue;
    if (row.startsWith('#')) {
      if (header === undefined) comments.push(row.replace(/^# ?/, ''));
      continue;
    }
    if (header === undefined) {
      header = row;
      continue;
    }
    const end = /^END lines=(\d{1,4})$/.exec(row);
    if (end) {
      if (Number(end[1]) !== items.length)
        return licenseError('TRUNCATED', `${what} says it holds ${end[1]} lines and holds ${items.length}`, lineNo);
      const after = rows.findIndex((r, j) => j > i && r.trim() !== '');
      if (after >= 0) return licenseError('MALFORMED_LINE', `text after END`, after + 1);
      return licenseOk({ comments, header, items });
    }
    if (items.length >= MAX_LICENSE_LINES)
      return licenseError('TOO_LARGE', `${what} holds more than ${MAX_LICENSE_LINES} lines`, lineNo);
    items.push({ text: row, lineNo });
  }
  return licenseError(
    'TRUNCATED',
    `${what} ends without its END line after ${items.length} line(s): it was cut off`,
    items.at(-1)?.lineNo,
  );
}

/**
 * A whole license file: every line must parse and verify, or the file is refused (a device installs
 * nothing from a file with one bad line). Whether the lines are for this device is `checkLicenseUdi`.
 */
export function parseLicenseFile(input: string | Uint8Array, trust: LicenseTrust): LicenseResult<LicenseFile> {
  const env = readEnvelope(input);
  if (!env.ok) return env;
  const { header, items, comments } = env.value;
  if (header !== FILE_HEADER)
    return licenseError('MALFORMED_LINE', `the first line after the comments must be "${FILE_HEADER}"`);
  if (items.length === 0) return licenseError('EMPTY', 'license file holds no license lines');
  const lines: LicenseLine[] = [];
  for (const item of items) {
    const line = parseLicenseLine(item.text, trust, item.lineNo);
    if (!line.ok) return line;
    lines.push(line.value);
  }
  return licenseOk({ comments, lines });
}

/** True when the line is node-locked to this UDI (or not node-locked at all). */
export function isLicenseFor(line: LicenseFields, udi: { pid: string; sn: string }): boolean {
  return line.udi === null || (line.udi.pid === udi.pid && line.udi.sn === udi.sn);
}

/** The device's check after parsing: every line must be for its UDI, or the file is refused (FOREIGN_UDI). */
export function checkLicenseUdi(
  lines: readonly (LicenseFields & { text?: string })[],
  udi: { pid: string; sn: string },
): LicenseFileError | undefined {
  const foreign = lines.find((l) => !isLicenseFor(l, udi));
  if (!foreign) return undefined;
  return {
    code: 'FOREIGN_UDI',
    message: `feature ${foreign.feature} is locked to ${foreign.udi!.pid}:${foreign.udi!.sn}, not ${udi.pid}:${udi.sn}`,
  };
}

/** `<SN>_<YYYYMMDDhhmmss><ms>.lic`, the portal's file names (§A.7: FHH1216P07R_20090528163510702.lic). */
export function licenseFileName(sn: string, issuedAt: number): string {
  return `${sn}_${new Date(issuedAt).toISOString().replace(/[-:T.Z]/g, '')}.lic`;
}
