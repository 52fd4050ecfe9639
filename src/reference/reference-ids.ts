// Stable identifiers for seeded boards and units, so URLs survive reseeding and reinstalls.

/** Board ids: the region code followed by the post's position (1 Party secretary, 2 head of government). */
export function boardId(regionCode: string, position: number): number {
  return Number(regionCode) * 10 + position;
}

/** Unit ids: the region code followed by a three-digit number; 001 is the region's dispatching unit. */
export function unitId(regionCode: string, number: number): number {
  return Number(regionCode) * 1000 + number;
}

export const UNITS_PER_REGION = 999;
