/**
 * Whether what the shell printed refuses the command. IOS prints both its errors and a few notes on
 * success as `% ` lines; the notes are listed here, so a script (a scenario's `cli` step) can tell them apart.
 */

/** `license boot level …` accepted: the level applies at the next boot once saved. */
export const BOOT_LEVEL_NOTE = "% use 'write' command to make license boot config take effect on next boot\n";

const NOTES = [BOOT_LEVEL_NOTE.trimEnd()];

export function refusalIn(output: string): string | undefined {
  return output.split('\n').find((line) => /^%\s?\S/.test(line) && !NOTES.includes(line));
}
