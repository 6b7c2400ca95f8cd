/** How reports word counts: `once`, `3 times`; an expectation without a count holds `at least once`. */
export const countText = (n: number): string => (n === 1 ? 'once' : `${n} times`);

export const timesText = (n: number | undefined): string => (n === undefined ? 'at least once' : countText(n));
