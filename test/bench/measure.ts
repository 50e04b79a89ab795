/** Tiny benchmark helpers: warm up, run several rounds, report the median. */
export interface Measurement {
  readonly name: string;
  readonly medianMs: number;
  readonly opsPerSecond: number;
}

export function measure(
  name: string,
  operations: number,
  run: () => unknown,
  rounds = 7,
): Measurement {
  let sink: unknown;
  for (let i = 0; i < 2; i++) sink = run();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    sink = run();
    times.push(performance.now() - start);
  }
  if (sink === Symbol.for('never')) console.log(sink);
  times.sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)] ?? Number.NaN;
  return { name, medianMs, opsPerSecond: (operations / medianMs) * 1000 };
}

export function report(title: string, subject: Measurement, baseline: Measurement): void {
  const ratio = subject.medianMs / baseline.medianMs;
  console.log(`\n${title}`);
  for (const m of [subject, baseline]) {
    console.log(
      `  ${m.name.padEnd(52)} ${m.medianMs.toFixed(2).padStart(9)} ms  ${Math.round(m.opsPerSecond)
        .toLocaleString('en-US')
        .padStart(13)} ops/s`,
    );
  }
  console.log(`  ${'cost relative to baseline'.padEnd(52)} ${ratio.toFixed(1).padStart(9)} x`);
}
