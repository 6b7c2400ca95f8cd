/** Durations as users write them in topologies and flags: `90d`, `12h`, `1h30m`, `500ms`, `2w`. */
import { Type } from '@sinclair/typebox';

/** The same, in a schema: a duration text or a number of ms. */
export const DurationSchema = Type.Union(
  [Type.String({ pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h|d|w))+$' }), Type.Number({ minimum: 0 })],
  { description: 'a duration: 90d, 12h, 1h30m, 500ms, 2w; or a number of ms' },
);

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let end = 0;
  let m: RegExpExecArray | null;
  while ((m = PART.exec(trimmed)) !== null) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    end = PART.lastIndex;
  }
  return end === trimmed.length ? Math.round(total) : undefined;
}
