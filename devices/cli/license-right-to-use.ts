/**
 * `license right-to-use activate {lanbase|ipbase|ipservices} [evaluation] [all | slot <n>] [acceptEULA]` and
 * `license right-to-use deactivate {lanbase|ipbase|ipservices} [evaluation] [all | slot <n>]` (exec,
 * Catalyst 3650 / 3850 on 3.x and 16.3; A.4, syntax unconfirmed). Without `acceptEULA` IOS shows the
 * agreement and asks `ACCEPT? (yes/[no]):`; this shell prints the question with the answer it takes
 * (`yes`), as `license accept end user agreement` does. The level applies at the next reload: the agent
 * checks and records (licensing/traditional-rtu.ts), the device saves the next boot level.
 */
import { rtuLevels } from '../licensing/traditional-rtu.ts';
import { printAction } from './action-output.ts';
import type { DeviceView } from './cli-device.ts';
import { intRange, keyword, param, type CommandContext, type CommandNode } from './command-node.ts';
import { EULA } from './license-accept-eula.ts';

/** Right-to-use runs this boot: a traditional image of a right-to-use platform. */
export const rightToUse = (v: DeviceView): boolean => v.licensingMode === 'traditional' && !!v.platform.rightToUse;

function run(action: 'activate' | 'deactivate') {
  return (ctx: CommandContext): string => {
    const { level = '', evaluation, slot, acceptEULA } = ctx.args;
    const r = ctx.device.licenseRequest({
      type: 'license.rightToUse',
      action,
      level,
      kind: evaluation !== undefined ? 'evaluation' : 'permanent',
      slot: slot !== undefined ? Number(slot) : 1,
    });
    // The agreement is shown before the activation (so also before its refusal); deactivation has none.
    const eula = action === 'activate' && acceptEULA === undefined && r.ok ? EULA : '';
    return eula + printAction(r);
  };
}

const flag = (name: string, help: string, children: CommandNode[], runs: (ctx: CommandContext) => string) =>
  param(name, name, help, { choices: () => [{ word: name, help }], run: runs, children });

/** The optional words after the level, in their order: [evaluation] [all | slot <n>] [acceptEULA]. */
function tail(action: 'activate' | 'deactivate', evaluation: boolean): CommandNode[] {
  const runs = run(action);
  const accept = action === 'activate' ? [flag('acceptEULA', 'Accept the end user license agreement', [], runs)] : [];
  const scope: CommandNode[] = [
    keyword('all', 'All slots', { run: runs, children: accept }),
    keyword('slot', 'Slot of the switch', {
      children: [param('slot', '<1-9>', 'Switch number', { ...intRange(1, 9), run: runs, children: accept })],
    }),
  ];
  return [
    ...(evaluation ? [] : [flag('evaluation', 'Evaluation license', [...scope, ...accept], runs)]),
    ...scope,
    ...accept,
  ];
}

const verb = (action: 'activate' | 'deactivate', help: string): CommandNode =>
  keyword(action, help, {
    children: [
      param('level', 'WORD', 'License level', {
        choices: (v) => rtuLevels(v.platform).map((l) => ({ word: l, help: `${l} license level` })),
        run: run(action),
        children: tail(action, false),
      }),
    ],
  });

/** `license right-to-use …` under exec `license`. */
export const RIGHT_TO_USE_EXEC: CommandNode = keyword('right-to-use', 'Right-to-use license', {
  available: rightToUse,
  children: [
    verb('activate', 'Activate a right-to-use license'),
    verb('deactivate', 'Deactivate a right-to-use license'),
  ],
});
