/**
 * `lab fault add|list|clear`: faults on a running `lab up`, through its control API. A fault started
 * here is the same data a topology's `faults:` list holds (lab/faults/fault-spec.ts).
 */
import { callLab, findRunningLab } from './control/control-client.ts';
import { CLOUD_FAULTS, DEVICE_FAULTS, NETWORK_FAULTS, type Fault } from './faults/fault-spec.ts';
import { UsageError } from './usage-error.ts';

const kinds = Object.entries({ ...NETWORK_FAULTS, ...DEVICE_FAULTS, ...CLOUD_FAULTS })
  .map(([kind, what]) => `  ${kind.padEnd(18)} ${what}`)
  .join('\n');

export const faultHelp = `Usage: lab fault add <kind> <selector…> [--at DURATION] [--for DURATION] [--how refused|timeout|dns]
                     [--why expired-certificate|untrusted-ca] [--ms N] [--status N] [--retry-after SECONDS]
                     [--quantity N]
       lab fault list
       lab fault clear [<id>]
  (each takes --lab <topology.yaml> | <lab dir> and --lab-key KEY|FILE)

Kinds:
${kinds}

--at: lab time from now (default now); --for: how long (network faults and clock-skew: default until
cleared; cloud-restart: default 30s). The other device and cloud faults happen once.
Selectors as for lab exec: site=lyon, group=access, pid=C9300-48P, role=wan, 10%, all, par-sw-0*.
Every fault start and end is printed by lab up and counted in license_lab_faults_active.
`;

export interface FaultFlags {
  lab?: string | undefined;
  'lab-key'?: string | undefined;
  at?: string | undefined;
  for?: string | undefined;
  how?: string | undefined;
  why?: string | undefined;
  ms?: string | undefined;
  status?: string | undefined;
  'retry-after'?: string | undefined;
  quantity?: string | undefined;
}

function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`${flag} must be a number, got "${value}"`);
  return n;
}

const iso = (t: number | undefined) => (t === undefined ? 'until cleared' : new Date(t).toISOString());

export async function runFault(args: readonly string[], flags: FaultFlags, log: (line: string) => void): Promise<void> {
  const [action, ...rest] = args;
  const lab = () => findRunningLab(flags.lab, flags['lab-key']);
  if (action === 'add') {
    const [kind, ...select] = rest;
    if (kind === undefined || select.length === 0)
      throw new UsageError('lab fault add needs a kind and a selector: lab fault add unreachable site=lyon --for 2d');
    const spec = Object.fromEntries(
      Object.entries({
        kind,
        select: select.join(' '),
        at: flags.at,
        for: flags.for,
        how: flags.how,
        why: flags.why,
        ms: number('--ms', flags.ms),
        status: number('--status', flags.status),
        retryAfter: number('--retry-after', flags['retry-after']),
        quantity: number('--quantity', flags.quantity),
      }).filter(([, v]) => v !== undefined),
    );
    const { fault } = (await (await callLab(lab(), '/faults', { body: spec })).json()) as { fault: Fault };
    log(
      `${fault.id} ${fault.spec.kind} on "${fault.spec.select}": ${fault.state}, from ${iso(fault.startsAt)} ${fault.endsAt === undefined ? 'until cleared' : `to ${iso(fault.endsAt)}`}`,
    );
    return;
  }
  if (action === 'list') {
    if (rest.length) throw new UsageError('lab fault list takes no arguments');
    const { faults } = (await (await callLab(lab(), '/faults')).json()) as { faults: Fault[] };
    if (faults.length === 0) return log('no faults');
    for (const f of faults)
      log(
        `${f.id.padEnd(4)} ${f.spec.kind.padEnd(13)} ${f.state.padEnd(9)} ${f.devices.length} devices  ${iso(f.startsAt)} → ${iso(f.endsAt)}  ${f.spec.select}`,
      );
    return;
  }
  if (action === 'clear') {
    if (rest.length > 1) throw new UsageError('lab fault clear takes one fault id, or none for all');
    const path = rest[0] === undefined ? '/faults' : `/faults/${encodeURIComponent(rest[0])}`;
    const { cleared } = (await (await callLab(lab(), path, { method: 'DELETE' })).json()) as { cleared: number };
    log(`cleared ${cleared} fault${cleared === 1 ? '' : 's'}`);
    return;
  }
  throw new UsageError(`lab fault ${action ?? ''}: use add, list or clear (lab fault --help)`.replace('  ', ' '));
}
