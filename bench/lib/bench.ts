/** What every benchmark under bench/ gets from the runner and gives back to it. */
export interface BenchContext {
  /** Shorter runs and fewer rounds: proves every figure is produced, measures nothing reliably. */
  readonly quick: boolean;
  /** Progress and table lines, printed as they come. */
  readonly log: (line: string) => void;
  /** A scratch directory for logs and temporary files, removed by the runner. */
  readonly workDir: string;
}

/** One line of the summary table. */
export interface Figure {
  readonly label: string;
  readonly value: number;
  readonly unit: string;
}

export interface BenchOutcome<T = unknown> {
  /** The headline figures, for the summary table and the README. */
  readonly figures: readonly Figure[];
  /** Everything measured, for out/bench/results.json. */
  readonly details: T;
}

export interface Benchmark {
  readonly name: string;
  readonly title: string;
  run(context: BenchContext): Promise<BenchOutcome>;
}
