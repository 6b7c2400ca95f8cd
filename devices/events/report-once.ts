/** Reports a problem the first time its key fails; later failures of that key are only counted. */
export class ReportOnce {
  readonly #reported = new Set<string>();
  readonly #onProblem: (line: string) => void;

  constructor(onProblem: ((line: string) => void) | undefined) {
    this.#onProblem = onProblem ?? (() => {});
  }

  report(key: string, line: string): void {
    if (this.#reported.has(key)) return;
    this.#reported.add(key);
    this.#onProblem(`${line}; later failures are only counted`);
  }
}
