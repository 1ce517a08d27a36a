/**
 * The tests' own least squares, written apart from src/forecasts so a forecast is checked against
 * an independent computation: when the line through the points reaches the threshold.
 */
export function ownCrossing(points: Array<{ t: number; v: number }>, threshold: number): number {
  const n = points.length;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const mv = points.reduce((a, p) => a + p.v, 0) / n;
  const slope =
    points.reduce((a, p) => a + (p.t - mt) * (p.v - mv), 0) /
    points.reduce((a, p) => a + (p.t - mt) ** 2, 0);
  return mt + (threshold - mv) / slope;
}
