/**
 * A licensing model's timers as one table (value and source per timer) and the values a device runs with:
 * the table's, frozen and shared when nothing is overridden, or a copy with the overrides checked.
 */

export interface TimerDefinition {
  ms: number;
  source: string;
}

/** The table's values, frozen: every device that overrides nothing shares this one object. */
export function timerValues<N extends string>(table: Record<N, TimerDefinition>): Readonly<Record<N, number>> {
  return Object.freeze(
    Object.fromEntries(Object.entries<TimerDefinition>(table).map(([n, d]) => [n, d.ms])) as Record<N, number>,
  );
}

/** `factory` with overrides applied; an unknown name or a bad value is refused naming the valid timers. */
export function resolveTimers<N extends string>(
  what: string,
  factory: Readonly<Record<N, number>>,
  overrides: Partial<Record<string, number>> = {},
): Record<N, number> {
  if (Object.keys(overrides).length === 0) return factory;
  const timers: Record<N, number> = { ...factory };
  for (const [name, ms] of Object.entries(overrides)) {
    if (!(name in factory))
      throw new RangeError(
        `unknown ${what} timer ${JSON.stringify(name)}; valid timers: ${Object.keys(factory).join(', ')}`,
      );
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0)
      throw new RangeError(`${what} timer ${name} must be a positive number of ms, got ${JSON.stringify(ms)}`);
    timers[name as N] = ms;
  }
  return timers;
}
