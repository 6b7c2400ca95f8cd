// Replaced below by the benchmark runner.
