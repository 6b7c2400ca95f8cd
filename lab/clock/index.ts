// The lab clock's import surface.
export { LabClock, CLOCK_MODES, DEFAULT_START } from './lab-clock.ts';
export type {
  ClockMode,
  ClockDescription,
  LabClockOptions,
  SteppedOptions,
  RealOptions,
  ScaledOptions,
  RunUntilOptions,
  RunAllOptions,
} from './lab-clock.ts';
export { MAX_HOST_DELAY, hostElapsedMs, hostPace, hostSleep, hostWallTime, yieldToHost } from './host-timers.ts';
export type { HostTimers } from './host-timers.ts';
export type { Clock, TimerId } from '#protocol';
