// Prints a fault run's figures as one line, so the suite's output reads as a table of what happened.
export function report(fault: string, engine: string, figures: Record<string, number>): void {
  const parts = Object.entries(figures).map(([name, value]) => `${name} ${value.toLocaleString('en')}`);
  console.log(`[fault] ${fault} (${engine}): ${parts.join(' · ')}`);
}
