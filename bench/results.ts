import { writeFileSync } from 'node:fs';

/** One benchmark figure, in the shape `bench/results.json` keeps so runs can be compared. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
}

export function printFigures(title: string, figures: readonly BenchFigure[]): void {
  console.log(`\n${title}`);
  const width = Math.max(...figures.map((figure) => figure.name.length));
  for (const figure of figures) {
    const value = Number.isInteger(figure.value)
      ? figure.value.toLocaleString('en-US')
      : figure.value.toLocaleString('en-US', { maximumFractionDigits: 2 });
    console.log(`  ${figure.name.padEnd(width)}  ${value.padStart(14)} ${figure.unit}`);
  }
}

export function writeResults(path: string, figures: readonly BenchFigure[]): void {
  writeFileSync(path, `${JSON.stringify(figures, null, 2)}\n`);
}
