/**
 * Reads one syslog message as the lab's devices send it: the IOS wire layout
 * (`<PRI>counter: [origin-id: ]<console line>`, smart-licensing.md §5.2) or RFC 5424 with the lab's
 * structured data (`meta sequenceId`, `origin ip`, `udi@9 pid sn`). Anything else is malformed: the
 * collector counts it and keeps going.
 */
export interface ParsedSyslog {
  format: 'ios' | 'rfc5424';
  pri: number;
  facility: number;
  severity: number;
  /** The device's wire counter (IOS) or meta sequenceId (RFC 5424), when present. */
  counter?: number;
  /** origin-id or RFC 5424 HOSTNAME, when the message names its device. */
  hostname?: string;
  /** `PID:…,SN:…` from `udi@9`. */
  udi?: string;
  /** e.g. `SMART_LIC`, `6`, `AUTH_RENEW_SUCCESS`. */
  tag: { facility: string; severity: number; mnemonic: string };
  text: string;
}

const IOS = /^<(\d{1,3})>(\d+): (?:([^\s:%*.][^\s:]*): )?.*?%([A-Z][A-Z0-9_]*)-([0-7])-([A-Z0-9_]+): ?(.*)$/s;
const RFC5424 = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]"\\]|"(?:[^"\\]|\\.)*")*\])+) ?(.*)$/s;
const SD_ELEMENT = /\[([^\s\]=]+)((?: [^\s=\]]+="(?:[^"\\]|\\.)*")*)\]/g;
const SD_PARAM = / ([^\s=\]]+)="((?:[^"\\]|\\.)*)"/g;
const TAG = /^%([A-Z][A-Z0-9_]*)-([0-7])-([A-Z0-9_]+): ?(.*)$/s;

function priParts(text: string): { pri: number; facility: number; severity: number } | undefined {
  const pri = Number(text);
  return pri > 191 ? undefined : { pri, facility: pri >> 3, severity: pri & 7 };
}

function structuredData(sd: string): Map<string, Map<string, string>> {
  const elements = new Map<string, Map<string, string>>();
  for (const [, id, params] of sd.matchAll(SD_ELEMENT)) {
    const values = new Map<string, string>();
    for (const [, name, value] of params!.matchAll(SD_PARAM)) values.set(name!, value!.replace(/\\(.)/g, '$1'));
    elements.set(id!, values);
  }
  return elements;
}

function parseIos(message: string): ParsedSyslog | undefined {
  const m = IOS.exec(message);
  if (!m) return undefined;
  const pri = priParts(m[1]!);
  if (!pri) return undefined;
  const parsed: ParsedSyslog = {
    format: 'ios',
    ...pri,
    counter: Number(m[2]),
    tag: { facility: m[4]!, severity: Number(m[5]), mnemonic: m[6]! },
    text: m[7]!,
  };
  if (m[3] !== undefined) parsed.hostname = m[3];
  return parsed;
}

function parseRfc5424(message: string): ParsedSyslog | undefined {
  const m = RFC5424.exec(message);
  if (!m) return undefined;
  const pri = priParts(m[1]!);
  const tag = TAG.exec(m[8]!.replace(/^\uFEFF/, ''));
  if (!pri || !tag) return undefined;
  const sd = structuredData(m[7]!);
  const parsed: ParsedSyslog = {
    format: 'rfc5424',
    ...pri,
    tag: { facility: tag[1]!, severity: Number(tag[2]), mnemonic: tag[3]! },
    text: tag[4]!,
  };
  if (m[3] !== '-') parsed.hostname = m[3]!;
  const sequenceId = sd.get('meta')?.get('sequenceId');
  if (sequenceId !== undefined && /^\d+$/.test(sequenceId)) parsed.counter = Number(sequenceId);
  const udi = sd.get('udi@9');
  if (udi?.has('pid')) parsed.udi = `PID:${udi.get('pid')},SN:${udi.get('sn') ?? ''}`;
  return parsed;
}

/** The message, or undefined when it is neither layout. */
export function parseSyslog(message: string): ParsedSyslog | undefined {
  return /^<\d{1,3}>1 /.test(message) ? parseRfc5424(message) : parseIos(message);
}
