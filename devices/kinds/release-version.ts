/** Comparing IOS XE release versions (`17.12.4`, `16.9.5`, `17.9.4a`) by their train: major, then minor. */

/** True when `version`'s train is `major.minor` or later. */
export function trainAtLeast(version: string, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const [ma, mi] = [Number(m[1]), Number(m[2])];
  return ma > major || (ma === major && mi >= minor);
}
