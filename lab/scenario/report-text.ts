/** How scenario reports word times and counts, and when a count holds. */

/** Lab time as reports print it. */
export const iso = (t: number): string => new Date(t).toISOString();

/** `once`, `3 times`; an expectation without a count holds `at least once`. */
export const countText = (n: number): string => (n === 1 ? 'once' : `${n} times`);

export const timesText = (n: number | undefined): string => (n === undefined ? 'at least once' : countText(n));

/** Does `n` satisfy an expected count (undefined: at least once)? */
export const counted = (n: number, count: number | undefined): boolean => (count === undefined ? n > 0 : n === count);
