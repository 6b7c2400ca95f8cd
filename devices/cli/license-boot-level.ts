/**
 * `license boot level <level> [addon <addon>]` (config). A change prints the device's reminder that
 * the level applies at the next boot once saved (traditional-licensing-snmp-platforms.md A.4, S-CSR dialog).
 */
import { printAction } from './action-output.ts';
import { BOOT_LEVEL_NOTE } from './refusal.ts';
import type { CommandContext } from './command-node.ts';
import type { LicenseLevel } from '../kinds/platform.ts';

/** `network-advantage` → `License Level Network Advantage` (the Catalyst 9000 `?` help). */
export function levelChoices(levels: readonly LicenseLevel[] | undefined): { word: string; help: string }[] {
  const title = (name: string): string =>
    name
      .split('-')
      .map((w) => (w === 'dna' ? 'DNA' : w.charAt(0).toUpperCase() + w.slice(1)))
      .join(' ');
  return (levels ?? []).map((l) => ({ word: l.name, help: `License Level ${title(l.name)}` }));
}

export function licenseBootLevel(ctx: CommandContext): string {
  const { level = '', addon } = ctx.args;
  const before = ctx.view.bootLevel;
  const changed = before.nextReload !== level || before.nextReloadAddon !== addon;
  return printAction(ctx.device.setBootLevel(level, addon), changed ? BOOT_LEVEL_NOTE : '');
}
