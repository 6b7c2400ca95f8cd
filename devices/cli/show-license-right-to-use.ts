/**
 * `show license right-to-use [default | summary | usage | detail]` (Catalyst 3650 / 3850 3.x and 16.3; A.5.7).
 * Only the `default` layout is confirmed (S-ENTSW docstring): right-aligned columns `Slot#` (5), `License
 * Name` (19), `Type` (13), optionally `Count` (7), between dashed rules as wide as the header. The others are
 * lab layouts in that same style, with what the reference recalls (columns `Slot#  License name  Type
 * Count  Period left`, an evaluation's `90 days`, `License Level In Use`, `License Level on Reboot`):
 * - the plain command: every RTU license (the factory one, then activations) with Count and Period left;
 * - `summary`: the same without slot and count;
 * - `usage`: each license's usage (`y:m:d`; evaluations count their use, permanent ones print `N/A`), In-Use
 *   and EULA (accepted by the activation itself, yes for all);
 * - `detail`: one block per license, `show license detail`'s field names.
 * Level names are printed without `k9` (`lanbase`), as the confirmed layout does.
 */
import { DAY } from '#protocol';
import { isRtuLicense, rtuName } from '../licensing/traditional-rtu.ts';
import type { LicenseView, TraditionalView } from '../licensing/traditional-view.ts';
import type { DeviceView } from './cli-device.ts';
import { licenseState, TYPE_NAMES } from './csl-strings.ts';
import { text } from './smart-blocks.ts';

type Column = { title: string; width: number; cell: (l: LicenseView) => string };

const SLOT: Column = { title: 'Slot#', width: 5, cell: () => '1' };
const NAME: Column = { title: 'License Name', width: 19, cell: (l) => rtuName(l.feature) };
const TYPE: Column = { title: 'Type', width: 13, cell: (l) => TYPE_NAMES[l.type] };
const COUNT: Column = { title: 'Count', width: 7, cell: (l) => (l.count === null ? 'N/A' : String(l.count)) };
const PERIOD: Column = { title: 'Period left', width: 14, cell: (l) => periodLeft(l) };

/** `Lifetime`, or the whole days an evaluation has left (`90 days`), `Expired` once used up (lab wording). */
function periodLeft(l: LicenseView): string {
  if (l.periodMs === undefined) return 'Lifetime';
  const left = l.periodMs - (l.usedMs ?? 0);
  return left <= 0 ? 'Expired' : `${Math.ceil(left / DAY)} days`;
}

/** `y:m:d` of a usage (30-day months, 365-day years: lab arithmetic). */
function yearsMonthsDays(ms: number): string {
  const days = Math.floor(ms / DAY);
  return `${Math.floor(days / 365)} :${Math.floor((days % 365) / 30)} :${(days % 365) % 30}`;
}

const inUse = (l: LicenseView): boolean => l.status === 'inUse' || l.status === 'expiredInUse';

function table(columns: readonly Column[], rows: readonly LicenseView[]): string[] {
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(columns[i]!.width)).join('');
  const header = line(columns.map((c) => c.title));
  const rule = '-'.repeat(header.length);
  return [header, rule, ...rows.map((l) => line(columns.map((c) => c.cell(l)))), rule];
}

const rtuLicenses = (t: TraditionalView): LicenseView[] => t.licenses.filter(isRtuLicense);

function levels(t: TraditionalView): string[] {
  return [`License Level In Use: ${rtuName(t.running.level)}`, `License Level on Reboot: ${rtuName(t.nextReload)}`];
}

export function showLicenseRightToUse(view: DeviceView): string {
  const t = view.traditional;
  if (!t) return '';
  return text([...table([SLOT, NAME, TYPE, COUNT, PERIOD], rtuLicenses(t)), ...levels(t), '']);
}

/** Confirmed (A.5.7): the license the switch was ordered with. */
export function showLicenseRightToUseDefault(view: DeviceView): string {
  const t = view.traditional;
  if (!t) return '';
  return text([
    ...table(
      [SLOT, NAME, TYPE],
      rtuLicenses(t).filter((l) => l.key.startsWith('factory:')),
    ),
    '',
  ]);
}

export function showLicenseRightToUseSummary(view: DeviceView): string {
  const t = view.traditional;
  if (!t) return '';
  return text([...table([NAME, TYPE, PERIOD], rtuLicenses(t)), ...levels(t), '']);
}

export function showLicenseRightToUseUsage(view: DeviceView): string {
  const t = view.traditional;
  if (!t) return '';
  const usage: Column = {
    title: 'usage-duration(y:m:d)',
    width: 24,
    cell: (l) => (l.periodMs === undefined ? 'N/A' : yearsMonthsDays(l.usedMs ?? 0)),
  };
  const used: Column = { title: 'In-Use', width: 8, cell: (l) => (inUse(l) ? 'yes' : 'no') };
  const eula: Column = { title: 'EULA', width: 6, cell: () => 'yes' };
  return text([...table([SLOT, NAME, TYPE, usage, used, eula], rtuLicenses(t)), '']);
}

export function showLicenseRightToUseDetail(view: DeviceView): string {
  const t = view.traditional;
  if (!t) return '';
  const pad = ' '.repeat(17);
  return text([
    ...rtuLicenses(t).flatMap((l, i) => [
      `${`Index ${i + 1}`.padEnd(17)}License Name: ${rtuName(l.feature)}`,
      `${pad}Period left: ${periodLeft(l)}`,
      `${pad}License Type: ${TYPE_NAMES[l.type]}`,
      `${pad}License State: ${licenseState(l, view)}`,
      `${pad}License Location: Slot 1`,
    ]),
    ...levels(t),
    '',
  ]);
}
