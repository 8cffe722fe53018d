/** Datasets the code-server benches type into or drag over. */

/**
 * A deterministic n × 8 dataset with `epochs` epochs at α = 0.05: x_ij = ((i(j + 3)) mod 97)/97 − 0.5,
 * y_i a signed sum of them plus a ramp, so the loss changes with every edit of a target.
 */
export function benchDataset(n: number, epochs: number): string {
  const lines = [`# @epochs ${epochs}`, '# @lr 0.05', 'x1,x2,x3,x4,x5,x6,x7,x8,y'];
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: 8 }, (_, j) => (((i * (j + 3)) % 97) / 97 - 0.5).toFixed(3));
    const y = (x.reduce((s, v, j) => s + Number(v) * (j % 3 === 0 ? 1 : -0.5), 0.3) + (i % 13) / 26).toFixed(3);
    lines.push([...x, y].join(','));
  }
  return `${lines.join('\n')}\n`;
}
