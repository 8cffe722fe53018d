/**
 * The fused pass's JS kernels. Each writes the record of rows [start, end) to acc[o …], every sum in row order, and
 * evaluates u_i = b + w_1 x_i1 + … + w_d x_id left to right, as reference.ts's `preActivation` does, so a_i
 * agrees with what the hover shows even at u_i = 0. Tested against reference.ts's `gradient`, to the
 * bit for a block's rows (test/unit/kernel.test.ts).
 *
 * The fast kernels avoid the branch on a_i, which mispredicts about half the time on real data:
 *   a_i = (u_i > lim) | 0            (a compare and a set, no jump)
 *   z_i = a_i · u_i,  r_i = z_i − y_i,  m_i = a_i · r_i,  Σ a_i r_i x_ij += m_i x_ij
 * For finite u_i this is `rowsExact` to the bit: an inactive row adds ±0 to sums that start
 * at +0 (which never changes them), and z_i = ±0 where max(0, u_i) = 0 only flips the sign of a zero
 * r_i, which squares to 0 and is multiplied by a_i = 0 or adds as ±0. For u_i = −∞ or NaN (overflow in
 * w·x), z_i = a_i · u_i is NaN, so Σ r² is NaN and `accumulateBlock` redoes the block with
 * `rowsExact`: the result is exactly max(0, u_i) semantics.
 *
 * Self-contained on purpose: no closures, imports or nested functions, only each other and the
 * globals `Math` and `Number`. threads.ts ships their source text (KERNEL_FUNCTIONS) to its helper
 * threads, so every thread runs the same code; keep it that way.
 */

/** The record of rows [start, end) (see blocks.ts's `recordLength`), by the kernel for this d. */
export function accumulateBlock(
  x: Float64Array,
  y: Float64Array,
  d: number,
  w: Float64Array,
  b: number,
  lim: number,
  start: number,
  end: number,
  acc: Float64Array,
  o: number,
): void {
  switch (d) {
    case 1:
      rows1(x, y, d, w, b, lim, start, end, acc, o);
      break;
    case 2:
      rows2(x, y, d, w, b, lim, start, end, acc, o);
      break;
    case 3:
      rows3(x, y, d, w, b, lim, start, end, acc, o);
      break;
    case 4:
      rows4(x, y, d, w, b, lim, start, end, acc, o);
      break;
    case 5:
      rows5(x, y, d, w, b, lim, start, end, acc, o);
      break;
    case 6:
      rows6(x, y, d, w, b, lim, start, end, acc, o);
      break;
    case 7:
      rows7(x, y, d, w, b, lim, start, end, acc, o);
      break;
    case 8:
      rows8(x, y, d, w, b, lim, start, end, acc, o);
      break;
    default:
      rowsTiled(x, y, d, w, b, lim, start, end, acc, o);
  }
  // Σ r² is NaN only if some u_i was −∞ or NaN, where z_i = a_i·u_i ≠ max(0, u_i): redo it with the branch.
  if (Number.isNaN(acc[o])) rowsExact(x, y, d, w, b, lim, start, end, acc, o);
}

/** reference.ts's `gradient` in record form, any d: z_i = max(0, u_i), the gradient sums only over active rows (a branch on a_i). */
export function rowsExact(
  x: Float64Array,
  y: Float64Array,
  d: number,
  w: Float64Array,
  b: number,
  lim: number,
  start: number,
  end: number,
  acc: Float64Array,
  o: number,
): void {
  const g = o + 3;
  for (let j = 0; j < d; j++) acc[g + j] = 0;
  let sumSq = 0;
  let sumR = 0;
  let active = 0;
  for (let i = start, p = start * d; i < end; i++, p += d) {
    let u = b;
    for (let j = 0; j < d; j++) u += w[j] * x[p + j];
    const z = u > 0 ? u : 0;
    const r = z - y[i];
    sumSq += r * r;
    if (u > lim) {
      active++;
      sumR += r;
      for (let j = 0; j < d; j++) acc[g + j] += r * x[p + j];
    }
  }
  acc[o] = sumSq;
  acc[o + 1] = sumR;
  acc[o + 2] = active;
}

/**
 * The fast pass for d > 8: eight rows at a time, so each w_j is loaded once per eight rows and each
 * gradient sum goes through memory once per eight rows (still added in row order), and the eight
 * u_i chains run side by side.
 *
 * Reading eight rows side by side is eight short streams, which the hardware prefetcher does not
 * follow once rows are long (d ≥ 32: 256 bytes and more); from memory that halves the speed. So for
 * such d each step first touches the next eight rows in memory order, one load per cache line, and
 * keeps the sum of what it touched; 0 · (that sum) is added to Σ r², which leaves it unchanged unless
 * the data holds ±∞ or NaN, and then `accumulateBlock` redoes the block with `rowsExact` anyway.
 */
export function rowsTiled(
  x: Float64Array,
  y: Float64Array,
  d: number,
  w: Float64Array,
  b: number,
  lim: number,
  start: number,
  end: number,
  acc: Float64Array,
  o: number,
): void {
  const g = o + 3;
  for (let j = 0; j < d; j++) acc[g + j] = 0;
  let sumSq = 0;
  let sumR = 0;
  let active = 0;
  const ahead = d >= 32;
  let touched = 0;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    if (ahead && i + 16 <= end) {
      for (let q = (i + 8) * d, q1 = (i + 16) * d; q < q1; q += 8) touched += x[q];
    }
    const p0 = i * d,
      p1 = p0 + d,
      p2 = p1 + d,
      p3 = p2 + d,
      p4 = p3 + d,
      p5 = p4 + d,
      p6 = p5 + d,
      p7 = p6 + d;
    let u0 = b,
      u1 = b,
      u2 = b,
      u3 = b,
      u4 = b,
      u5 = b,
      u6 = b,
      u7 = b;
    for (let j = 0; j < d; j++) {
      const wj = w[j];
      u0 += wj * x[p0 + j];
      u1 += wj * x[p1 + j];
      u2 += wj * x[p2 + j];
      u3 += wj * x[p3 + j];
      u4 += wj * x[p4 + j];
      u5 += wj * x[p5 + j];
      u6 += wj * x[p6 + j];
      u7 += wj * x[p7 + j];
    }
    const a0 = ((u0 > lim) as unknown as number) | 0,
      a1 = ((u1 > lim) as unknown as number) | 0;
    const a2 = ((u2 > lim) as unknown as number) | 0,
      a3 = ((u3 > lim) as unknown as number) | 0;
    const a4 = ((u4 > lim) as unknown as number) | 0,
      a5 = ((u5 > lim) as unknown as number) | 0;
    const a6 = ((u6 > lim) as unknown as number) | 0,
      a7 = ((u7 > lim) as unknown as number) | 0;
    const r0 = a0 * u0 - y[i],
      r1 = a1 * u1 - y[i + 1],
      r2 = a2 * u2 - y[i + 2],
      r3 = a3 * u3 - y[i + 3];
    const r4 = a4 * u4 - y[i + 4],
      r5 = a5 * u5 - y[i + 5],
      r6 = a6 * u6 - y[i + 6],
      r7 = a7 * u7 - y[i + 7];
    sumSq = sumSq + r0 * r0 + r1 * r1 + r2 * r2 + r3 * r3 + r4 * r4 + r5 * r5 + r6 * r6 + r7 * r7;
    const m0 = a0 * r0,
      m1 = a1 * r1,
      m2 = a2 * r2,
      m3 = a3 * r3,
      m4 = a4 * r4,
      m5 = a5 * r5,
      m6 = a6 * r6,
      m7 = a7 * r7;
    active = active + a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
    sumR = sumR + m0 + m1 + m2 + m3 + m4 + m5 + m6 + m7;
    for (let j = 0; j < d; j++) {
      acc[g + j] =
        acc[g + j] +
        m0 * x[p0 + j] +
        m1 * x[p1 + j] +
        m2 * x[p2 + j] +
        m3 * x[p3 + j] +
        m4 * x[p4 + j] +
        m5 * x[p5 + j] +
        m6 * x[p6 + j] +
        m7 * x[p7 + j];
    }
  }
  for (let p = i * d; i < end; i++, p += d) {
    let u = b;
    for (let j = 0; j < d; j++) u += w[j] * x[p + j];
    const a = ((u > lim) as unknown as number) | 0;
    const r = a * u - y[i];
    sumSq += r * r;
    const m = a * r;
    active += a;
    sumR += m;
    for (let j = 0; j < d; j++) acc[g + j] += m * x[p + j];
  }
  acc[o] = sumSq + 0 * touched;
  acc[o + 1] = sumR;
  acc[o + 2] = active;
}

/** The fast pass for d = 1: w and the gradient sums in locals. */
function rows1(
  x: Float64Array,
  y: Float64Array,
  _d: number,
  w: Float64Array,
  b: number,
  lim: number,
  start: number,
  end: number,
  acc: Float64Array,
  o: number,
): void {
  const w0 = w[0];
  let s0 = 0,
    sumSq = 0,
    sumR = 0,
    active = 0;
  for (let i = start; i < end; i++) {
    const x0 = x[i];
    const u = b + w0 * x0;
    const a = ((u > lim) as unknown as number) | 0;
    const r = a * u - y[i];
    sumSq += r * r;
    const m = a * r;
    active += a;
    sumR += m;
    s0 += m * x0;
  }
  acc[o] = sumSq;
  acc[o + 1] = sumR;
  acc[o + 2] = active;
  acc[o + 3] = s0;
}

/** The fast pass for d = 2: w and the gradient sums in locals. */
function rows2(
  x: Float64Array,
  y: Float64Array,
  _d: number,
  w: Float64Array,
  b: number,
  lim: number,
  start: number,
  end: number,
  acc: Float64Array,
  o: number,
): void {
  const w0 = w[0],
    w1 = w[1];
  let s0 = 0,
    s1 = 0,
    sumSq = 0,
    sumR = 0,
    active = 0;
  for (let i = start, p = start * 2; i < end; i++, p += 2) {
    const x0 = x[p],
      x1 = x[p + 1];
    const u = b + w0 * x0 + w1 * x1;
    const a = ((u > lim) as unknown as number) | 0;
    const r = a * u - y[i];
    sumSq += r * r;
    const m = a * r;
    active += a;
    sumR += m;
    s0 += m * x0;
    s1 += m * x1;
  }
  acc[o] = sumSq;
  acc[o + 1] = sumR;
  acc[o + 2] = active;
  acc[o + 3] = s0;
  acc[o + 4] = s1;
}

/** The fast pass for d = 3: w and the gradient sums in locals. */
function rows3(
  x: Float64Array,
  y: Float64Array,
  _d: number,
  w: Float64Array,
  b: number,
  lim: number,
  start: number,
  end: number,
  acc: Float64Array,
  o: number,
): void {
  const w0 = w[0],
    w1 = w[1],
    w2 = w[2];
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    sumSq = 0,
    sumR = 0,
    active = 0;
  for (let i = start, p = start * 3; i < end; i++, p += 3) {
    const x0 = x[p],
      x1 = x[p + 1],
      x2 = x[p + 2];
    const u = b + w0 * x0 + w1 * x1 + w2 * x2;
    const a = ((u > lim) as unknown as number) | 0;
    const r = a * u - y[i];
    sumSq += r * r;
    const m = a * r;
    active += a;
    sumR += m;
    s0 += m * x0;
    s1 += m * x1;
    s2 += m * x2;
  }
  acc[o] = sumSq;
  acc[o + 1] = sumR;
  acc[o + 2] = active;
  acc[o + 3] = s0;
  acc[o + 4] = s1;
  acc[o + 5] = s2;
}

/** The fast pass for d = 4: w and the gradient sums in locals. */
function rows4(
  x: Float64Array,
  y: Float64Array,
  _d: number,
  w: Float64Array,
  b: number,
  lim: number,
  start: number,
  end: number,
  acc: Float64Array,
  o: number,
): void {
  const w0 = w[0],
    w1 = w[1],
    w2 = w[2],
    w3 = w[3];
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    sumSq = 0,
    sumR = 0,
    active = 0;
  for (let i = start, p = start * 4; i < end; i++, p += 4) {
    const x0 = x[p],
      x1 = x[p + 1],
      x2 = x[p + 2],
      x3 = x[p + 3];
    const u = b + w0 * x0 + w1 * x1 + w2 * x2 + w3 * x3;
    const a = ((u > lim) as unknown as number) | 0;
    const r = a * u - y[i];
    sumSq += r * r;
    const m = a * r;
    active += a;
    sumR += m;
    s0 += m * x0;
    s1 += m * x1;
    s2 += m * x2;
    s3 += m * x3;
  }
  acc[o] = sumSq;
  acc[o + 1] = sumR;
  acc[o + 2] = active;
  acc[o + 3] = s0;
  acc[o + 4] = s1;
  acc[o + 5] = s2;
  acc[o + 6] = s3;
}

/** The fast pass for d = 5: w and the gradient sums in locals. */
function rows5(
  x: Float64Array,
  y: Float64Array,
  _d: number,
  w: Float64Array,
  b: number,
  lim: number,
  start: number,
  end: number,
  acc: Float64Array,
  o: number,
): void {
  const w0 = w[0],
    w1 = w[1],
    w2 = w[2],
    w3 = w[3],
    w4 = w[4];
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    s4 = 0,
    sumSq = 0,
    sumR = 0,
    active = 0;
  for (let i = start, p = start * 5; i < end; i++, p += 5) {
    const x0 = x[p],
      x1 = x[p + 1],
      x2 = x[p + 2],
      x3 = x[p + 3],
      x4 = x[p + 4];
    const u = b + w0 * x0 + w1 * x1 + w2 * x2 + w3 * x3 + w4 * x4;
    const a = ((u > lim) as unknown as number) | 0;
    const r = a * u - y[i];
    sumSq += r * r;
    const m = a * r;
    active += a;
    sumR += m;
    s0 += m * x0;
    s1 += m * x1;
    s2 += m * x2;
    s3 += m * x3;
    s4 += m * x4;
  }
  acc[o] = sumSq;
  acc[o + 1] = sumR;
  acc[o + 2] = active;
  acc[o + 3] = s0;
  acc[o + 4] = s1;
  acc[o + 5] = s2;
  acc[o + 6] = s3;
  acc[o + 7] = s4;
}

/** The fast pass for d = 6: w and the gradient sums in locals. */
function rows6(
  x: Float64Array,
  y: Float64Array,
  _d: number,
  w: Float64Array,
  b: number,
  lim: number,
  start: number,
  end: number,
  acc: Float64Array,
  o: number,
): void {
  const w0 = w[0],
    w1 = w[1],
    w2 = w[2],
    w3 = w[3],
    w4 = w[4],
    w5 = w[5];
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    s4 = 0,
    s5 = 0,
    sumSq = 0,
    sumR = 0,
    active = 0;
  for (let i = start, p = start * 6; i < end; i++, p += 6) {
    const x0 = x[p],
      x1 = x[p + 1],
      x2 = x[p + 2],
      x3 = x[p + 3],
      x4 = x[p + 4],
      x5 = x[p + 5];
    const u = b + w0 * x0 + w1 * x1 + w2 * x2 + w3 * x3 + w4 * x4 + w5 * x5;
    const a = ((u > lim) as unknown as number) | 0;
    const r = a * u - y[i];
    sumSq += r * r;
    const m = a * r;
    active += a;
    sumR += m;
    s0 += m * x0;
    s1 += m * x1;
    s2 += m * x2;
    s3 += m * x3;
    s4 += m * x4;
    s5 += m * x5;
  }
  acc[o] = sumSq;
  acc[o + 1] = sumR;
  acc[o + 2] = active;
  acc[o + 3] = s0;
  acc[o + 4] = s1;
  acc[o + 5] = s2;
  acc[o + 6] = s3;
  acc[o + 7] = s4;
  acc[o + 8] = s5;
}

/** The fast pass for d = 7: w and the gradient sums in locals. */
function rows7(
  x: Float64Array,
  y: Float64Array,
  _d: number,
  w: Float64Array,
  b: number,
  lim: number,
  start: number,
  end: number,
  acc: Float64Array,
  o: number,
): void {
  const w0 = w[0],
    w1 = w[1],
    w2 = w[2],
    w3 = w[3],
    w4 = w[4],
    w5 = w[5],
    w6 = w[6];
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    s4 = 0,
    s5 = 0,
    s6 = 0,
    sumSq = 0,
    sumR = 0,
    active = 0;
  for (let i = start, p = start * 7; i < end; i++, p += 7) {
    const x0 = x[p],
      x1 = x[p + 1],
      x2 = x[p + 2],
      x3 = x[p + 3],
      x4 = x[p + 4],
      x5 = x[p + 5],
      x6 = x[p + 6];
    const u = b + w0 * x0 + w1 * x1 + w2 * x2 + w3 * x3 + w4 * x4 + w5 * x5 + w6 * x6;
    const a = ((u > lim) as unknown as number) | 0;
    const r = a * u - y[i];
    sumSq += r * r;
    const m = a * r;
    active += a;
    sumR += m;
    s0 += m * x0;
    s1 += m * x1;
    s2 += m * x2;
    s3 += m * x3;
    s4 += m * x4;
    s5 += m * x5;
    s6 += m * x6;
  }
  acc[o] = sumSq;
  acc[o + 1] = sumR;
  acc[o + 2] = active;
  acc[o + 3] = s0;
  acc[o + 4] = s1;
  acc[o + 5] = s2;
  acc[o + 6] = s3;
  acc[o + 7] = s4;
  acc[o + 8] = s5;
  acc[o + 9] = s6;
}

/** The fast pass for d = 8: w and the gradient sums in locals. */
function rows8(
  x: Float64Array,
  y: Float64Array,
  _d: number,
  w: Float64Array,
  b: number,
  lim: number,
  start: number,
  end: number,
  acc: Float64Array,
  o: number,
): void {
  const w0 = w[0],
    w1 = w[1],
    w2 = w[2],
    w3 = w[3],
    w4 = w[4],
    w5 = w[5],
    w6 = w[6],
    w7 = w[7];
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    s4 = 0,
    s5 = 0,
    s6 = 0,
    s7 = 0,
    sumSq = 0,
    sumR = 0,
    active = 0;
  for (let i = start, p = start * 8; i < end; i++, p += 8) {
    const x0 = x[p],
      x1 = x[p + 1],
      x2 = x[p + 2],
      x3 = x[p + 3],
      x4 = x[p + 4],
      x5 = x[p + 5],
      x6 = x[p + 6],
      x7 = x[p + 7];
    const u = b + w0 * x0 + w1 * x1 + w2 * x2 + w3 * x3 + w4 * x4 + w5 * x5 + w6 * x6 + w7 * x7;
    const a = ((u > lim) as unknown as number) | 0;
    const r = a * u - y[i];
    sumSq += r * r;
    const m = a * r;
    active += a;
    sumR += m;
    s0 += m * x0;
    s1 += m * x1;
    s2 += m * x2;
    s3 += m * x3;
    s4 += m * x4;
    s5 += m * x5;
    s6 += m * x6;
    s7 += m * x7;
  }
  acc[o] = sumSq;
  acc[o + 1] = sumR;
  acc[o + 2] = active;
  acc[o + 3] = s0;
  acc[o + 4] = s1;
  acc[o + 5] = s2;
  acc[o + 6] = s3;
  acc[o + 7] = s4;
  acc[o + 8] = s5;
  acc[o + 9] = s6;
  acc[o + 10] = s7;
}

/** The kernel functions, `accumulateBlock` first: threads.ts sends their source text to its threads. */
export const KERNEL_FUNCTIONS: readonly ((...args: never[]) => void)[] = [
  accumulateBlock,
  rowsExact,
  rowsTiled,
  rows1,
  rows2,
  rows3,
  rows4,
  rows5,
  rows6,
  rows7,
  rows8,
];
