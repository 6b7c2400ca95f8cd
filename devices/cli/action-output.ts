/**
 * How the shell prints what a device action answered: the action's lines, then what IOS itself prints on
 * success; an error as its one `% …` line (a missing `% ` is added, so nothing else can reach the user).
 */
import type { ActionResult } from './cli-device.ts';

const asLines = (s: string): string => (s === '' || s.endsWith('\n') ? s : `${s}\n`);

export function printAction(result: ActionResult, onSuccess = ''): string {
  if (!result.ok) return asLines(result.error.startsWith('%') ? result.error : `% ${result.error}`);
  return asLines(result.output) + onSuccess;
}
