;; The per-block kernel of kernels.ts (`accumulateBlock`) in WebAssembly SIMD, to the same bits, and
;; its forward half for activeSet.ts (`forward`, at the end).
;;
;; Compiled by scripts/build-wasm.mjs into kernelBinary.ts; wasm.ts (`WasmKernel`) places the data and calls it.
;;
;; `rows` writes the record of rows [start, end) at $out (d + 3 doubles):
;;   [Σ r_i², Σ a_i r_i, Σ a_i, Σ a_i r_i x_i1, …, Σ a_i r_i x_id]
;; with, exactly as the JS kernels of kernels.ts:
;;   u_i = b + w_1 x_i1 + … + w_d x_id           added left to right, a separate multiply and add per term
;;   a_i = (u_i > lim) ? 1 : 0
;;   r_i = a_i · u_i − y_i,   m_i = a_i · r_i
;; and every sum in row order. Vectors (f64x2) are used only where that holds lane by lane:
;; - u of two rows side by side, lane = row: each lane is its own left-to-right chain;
;; - the gradient sums, lane = feature: each lane adds row i before row i + 1;
;; - Σ r² and Σ a r are scalar adds of lane 0 (row i) then lane 1 (row i + 1); Σ a is an integer count.
;; A block whose Σ r² is NaN is redone by the caller with kernels.ts's `rowsExact`, as there.
;;
;; Memory: X row-major (d doubles a row, any alignment) at $x, y at $y, w_1 … w_d at $w; bytes 0–15
;; hold the vector [1, 1] (the data segment below), which the caller must leave alone.
(module
  (memory (export "memory") 1)
  (data (i32.const 0) "\00\00\00\00\00\00\f0\3f\00\00\00\00\00\00\f0\3f")

  ;; Any d ≥ 1: four rows a step (two u vectors), then one row at a time.
  (func (export "rows")
    (param $x i32) (param $y i32) (param $w i32) (param $out i32) (param $d i32)
    (param $b f64) (param $lim f64) (param $start i32) (param $end i32)
    (local $stride i32) (local $pairs i32) (local $i i32) (local $j i32)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32) (local $g i32) (local $cnt i32)
    (local $sumSq f64) (local $sumR f64)
    (local $us f64) (local $as f64) (local $rs f64) (local $ms f64)
    (local $u v128) (local $v v128) (local $wv v128) (local $wl v128) (local $wh v128)
    (local $ma v128) (local $mb v128) (local $k v128) (local $l v128)
    (local $A v128) (local $B v128) (local $C v128) (local $D v128)
    (local $m0 v128) (local $m1 v128) (local $m2 v128) (local $m3 v128)
    ;; Row stride in bytes; $pairs: bytes of the whole feature pairs (j, j + 1) of a row.
    (local.set $stride (i32.shl (local.get $d) (i32.const 3)))
    (local.set $pairs (i32.and (local.get $stride) (i32.const -16)))
    ;; The gradient sums start at +0.
    (local.set $j (i32.const 0))
    (block $zeroed
      (loop $zero
        (br_if $zeroed (i32.ge_u (local.get $j) (local.get $stride)))
        (f64.store offset=24 (i32.add (local.get $out) (local.get $j)) (f64.const 0))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $zero)))
    (local.set $i (local.get $start))

    ;; Four rows i … i + 3 a step: u of rows (i, i + 1) in $u, of (i + 2, i + 3) in $v.
    (block $quadsDone
      (loop $quads
        (br_if $quadsDone (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $end)))
        (local.set $p0 (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $stride))))
        (local.set $p1 (i32.add (local.get $p0) (local.get $stride)))
        (local.set $p2 (i32.add (local.get $p1) (local.get $stride)))
        (local.set $p3 (i32.add (local.get $p2) (local.get $stride)))
        (local.set $u (f64x2.splat (local.get $b)))
        (local.set $v (local.get $u))
        ;; u += w_j x_j, then w_{j+1} x_{j+1}: a pair of features from each row, transposed by shuffles.
        (local.set $j (i32.const 0))
        (block $uDone
          (loop $uPairs
            (br_if $uDone (i32.ge_u (local.get $j) (local.get $pairs)))
            (local.set $wv (v128.load (i32.add (local.get $w) (local.get $j))))
            (local.set $wl (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $wv) (local.get $wv)))
            (local.set $wh (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $wv) (local.get $wv)))
            (local.set $A (v128.load (i32.add (local.get $p0) (local.get $j))))
            (local.set $B (v128.load (i32.add (local.get $p1) (local.get $j))))
            (local.set $C (v128.load (i32.add (local.get $p2) (local.get $j))))
            (local.set $D (v128.load (i32.add (local.get $p3) (local.get $j))))
            (local.set $u (f64x2.add (local.get $u) (f64x2.mul (local.get $wl)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $A) (local.get $B)))))
            (local.set $v (f64x2.add (local.get $v) (f64x2.mul (local.get $wl)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $C) (local.get $D)))))
            (local.set $u (f64x2.add (local.get $u) (f64x2.mul (local.get $wh)
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $A) (local.get $B)))))
            (local.set $v (f64x2.add (local.get $v) (f64x2.mul (local.get $wh)
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $C) (local.get $D)))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $uPairs)))
        ;; Odd d: the last feature, x_j of rows i and i + 1 (and i + 2, i + 3) into the two lanes.
        (if (i32.lt_u (local.get $j) (local.get $stride))
          (then
            (local.set $wl (v128.load64_splat (i32.add (local.get $w) (local.get $j))))
            (local.set $u (f64x2.add (local.get $u) (f64x2.mul (local.get $wl)
              (v128.load64_lane 1 (i32.add (local.get $p1) (local.get $j))
                (v128.load64_splat (i32.add (local.get $p0) (local.get $j)))))))
            (local.set $v (f64x2.add (local.get $v) (f64x2.mul (local.get $wl)
              (v128.load64_lane 1 (i32.add (local.get $p3) (local.get $j))
                (v128.load64_splat (i32.add (local.get $p2) (local.get $j)))))))))
        ;; a = [u > lim] as 1 or 0 (the comparison's all-ones mask and [1, 1]); r = a·u − y; m = a·r.
        (local.set $k (f64x2.gt (local.get $u) (f64x2.splat (local.get $lim))))
        (local.set $l (f64x2.gt (local.get $v) (f64x2.splat (local.get $lim))))
        (local.set $cnt (i32.add (local.get $cnt)
          (i32.add (i32.popcnt (i64x2.bitmask (local.get $k))) (i32.popcnt (i64x2.bitmask (local.get $l))))))
        (local.set $k (v128.and (local.get $k) (v128.load (i32.const 0))))
        (local.set $l (v128.and (local.get $l) (v128.load (i32.const 0))))
        (local.set $g (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $u (f64x2.sub (f64x2.mul (local.get $k) (local.get $u)) (v128.load (local.get $g))))
        (local.set $v (f64x2.sub (f64x2.mul (local.get $l) (local.get $v)) (v128.load offset=16 (local.get $g))))
        (local.set $ma (f64x2.mul (local.get $k) (local.get $u)))
        (local.set $mb (f64x2.mul (local.get $l) (local.get $v)))
        ;; Σ r² and Σ a r, rows i, i + 1, i + 2, i + 3 in turn ($u, $v now hold r).
        (local.set $k (f64x2.mul (local.get $u) (local.get $u)))
        (local.set $l (f64x2.mul (local.get $v) (local.get $v)))
        (local.set $sumSq (f64.add (f64.add (f64.add (f64.add (local.get $sumSq)
          (f64x2.extract_lane 0 (local.get $k))) (f64x2.extract_lane 1 (local.get $k)))
          (f64x2.extract_lane 0 (local.get $l))) (f64x2.extract_lane 1 (local.get $l))))
        (local.set $sumR (f64.add (f64.add (f64.add (f64.add (local.get $sumR)
          (f64x2.extract_lane 0 (local.get $ma))) (f64x2.extract_lane 1 (local.get $ma)))
          (f64x2.extract_lane 0 (local.get $mb))) (f64x2.extract_lane 1 (local.get $mb))))
        ;; Σ m x_j: m of each row in both lanes, features (j, j + 1) a vector, rows in order.
        (local.set $m0 (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $ma) (local.get $ma)))
        (local.set $m1 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $ma) (local.get $ma)))
        (local.set $m2 (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $mb) (local.get $mb)))
        (local.set $m3 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $mb) (local.get $mb)))
        (local.set $j (i32.const 0))
        (block $gDone
          (loop $gPairs
            (br_if $gDone (i32.ge_u (local.get $j) (local.get $pairs)))
            (local.set $g (i32.add (local.get $out) (local.get $j)))
            (v128.store offset=24 (local.get $g)
              (f64x2.add (f64x2.add (f64x2.add (f64x2.add (v128.load offset=24 (local.get $g))
                (f64x2.mul (local.get $m0) (v128.load (i32.add (local.get $p0) (local.get $j)))))
                (f64x2.mul (local.get $m1) (v128.load (i32.add (local.get $p1) (local.get $j)))))
                (f64x2.mul (local.get $m2) (v128.load (i32.add (local.get $p2) (local.get $j)))))
                (f64x2.mul (local.get $m3) (v128.load (i32.add (local.get $p3) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $gPairs)))
        (if (i32.lt_u (local.get $j) (local.get $stride))
          (then
            (local.set $g (i32.add (local.get $out) (local.get $j)))
            (f64.store offset=24 (local.get $g)
              (f64.add (f64.add (f64.add (f64.add (f64.load offset=24 (local.get $g))
                (f64.mul (f64x2.extract_lane 0 (local.get $m0)) (f64.load (i32.add (local.get $p0) (local.get $j)))))
                (f64.mul (f64x2.extract_lane 0 (local.get $m1)) (f64.load (i32.add (local.get $p1) (local.get $j)))))
                (f64.mul (f64x2.extract_lane 0 (local.get $m2)) (f64.load (i32.add (local.get $p2) (local.get $j)))))
                (f64.mul (f64x2.extract_lane 0 (local.get $m3)) (f64.load (i32.add (local.get $p3) (local.get $j))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $quads)))

    ;; The last rows (fewer than four), one at a time.
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_s (local.get $i) (local.get $end)))
        (local.set $p0 (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $stride))))
        (local.set $us (local.get $b))
        (local.set $j (i32.const 0))
        (block $usDone
          (loop $usLoop
            (br_if $usDone (i32.ge_u (local.get $j) (local.get $stride)))
            (local.set $us (f64.add (local.get $us)
              (f64.mul (f64.load (i32.add (local.get $w) (local.get $j))) (f64.load (i32.add (local.get $p0) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $usLoop)))
        (local.set $as (select (f64.const 1) (f64.const 0) (f64.gt (local.get $us) (local.get $lim))))
        (local.set $rs (f64.sub (f64.mul (local.get $as) (local.get $us))
          (f64.load (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3))))))
        (local.set $ms (f64.mul (local.get $as) (local.get $rs)))
        (local.set $sumSq (f64.add (local.get $sumSq) (f64.mul (local.get $rs) (local.get $rs))))
        (local.set $sumR (f64.add (local.get $sumR) (local.get $ms)))
        (local.set $cnt (i32.add (local.get $cnt) (i32.trunc_f64_s (local.get $as))))
        (local.set $m0 (f64x2.splat (local.get $ms)))
        (local.set $j (i32.const 0))
        (block $tgDone
          (loop $tgPairs
            (br_if $tgDone (i32.ge_u (local.get $j) (local.get $pairs)))
            (local.set $g (i32.add (local.get $out) (local.get $j)))
            (v128.store offset=24 (local.get $g)
              (f64x2.add (v128.load offset=24 (local.get $g))
                (f64x2.mul (local.get $m0) (v128.load (i32.add (local.get $p0) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $tgPairs)))
        (if (i32.lt_u (local.get $j) (local.get $stride))
          (then
            (local.set $g (i32.add (local.get $out) (local.get $j)))
            (f64.store offset=24 (local.get $g)
              (f64.add (f64.load offset=24 (local.get $g))
                (f64.mul (local.get $ms) (f64.load (i32.add (local.get $p0) (local.get $j))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))

    (f64.store (local.get $out) (local.get $sumSq))
    (f64.store offset=8 (local.get $out) (local.get $sumR))
    (f64.store offset=16 (local.get $out) (f64.convert_i32_s (local.get $cnt))))

  ;; `forward` is the first half of `rows` alone, for the active-set path of activeSet.ts: it writes
  ;; [Σ r_i², Σ a_i] of rows [0, n) at $out, with u_i, a_i and r_i computed exactly as `rows` does and
  ;; Σ r² summed as serial.ts's `evaluateSerial` sums it (in row order within blocks of $blockRows
  ;; rows, an even number, then block by block), so it has the same bits. It keeps the byte
  ;; mask[i] = a_i at $mask: each row whose a_i differs from its byte gets the byte rewritten and its
  ;; index (i32) appended at $flips. Returns how many.
  ;;
  ;; It reads X from a second copy at $xp, in row pairs: pair k holds [x_2k,j, x_2k+1,j] for j = 1 … d
  ;; (16·d bytes), so u of two rows is one multiply and add per feature with no shuffles. An odd last
  ;; row is read from the row-major copy at $x.
  (func (export "forward")
    (param $xp i32) (param $x i32) (param $y i32) (param $w i32) (param $out i32) (param $mask i32) (param $flips i32)
    (param $d i32) (param $b f64) (param $lim f64) (param $n i32) (param $blockRows i32) (result i32)
    (local $pair i32) (local $i i32) (local $j i32) (local $q i32) (local $wEnd i32)
    (local $p0 i32) (local $p1 i32) (local $g i32) (local $cnt i32)
    (local $bits i32) (local $old i32) (local $nf i32) (local $end i32)
    (local $total f64) (local $sumSq f64) (local $us f64) (local $as f64) (local $rs f64)
    (local $u v128) (local $v v128) (local $wl v128) (local $k v128) (local $l v128)
    ;; Bytes of a row pair in $xp; the end of w.
    (local.set $pair (i32.shl (local.get $d) (i32.const 4)))
    (local.set $wEnd (i32.add (local.get $w) (i32.shl (local.get $d) (i32.const 3))))

    (block $blocksDone
      (loop $blocks
        (br_if $blocksDone (i32.ge_s (local.get $i) (local.get $n)))
        ;; The block of rows [i, end).
        (local.set $end (select (local.get $n) (i32.add (local.get $i) (local.get $blockRows))
          (i32.gt_s (i32.add (local.get $i) (local.get $blockRows)) (local.get $n))))
        (local.set $sumSq (f64.const 0))
        ;; Four rows i … i + 3 a step: u of pair (i, i + 1) in $u, of pair (i + 2, i + 3) in $v.
        (block $quadsDone
          (loop $quads
            (br_if $quadsDone (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $end)))
            (local.set $p0 (i32.add (local.get $xp) (i32.mul (i32.shr_u (local.get $i) (i32.const 1)) (local.get $pair))))
            (local.set $p1 (i32.add (local.get $p0) (local.get $pair)))
            (local.set $u (f64x2.splat (local.get $b)))
            (local.set $v (local.get $u))
            ;; u += w_j x_j for j = 1 … d in turn ($j walks w, $p0 and $p1 walk the pairs).
            (local.set $j (local.get $w))
            (loop $features
              (local.set $wl (v128.load64_splat (local.get $j)))
              (local.set $u (f64x2.add (local.get $u) (f64x2.mul (local.get $wl) (v128.load (local.get $p0)))))
              (local.set $v (f64x2.add (local.get $v) (f64x2.mul (local.get $wl) (v128.load (local.get $p1)))))
              (local.set $p0 (i32.add (local.get $p0) (i32.const 16)))
              (local.set $p1 (i32.add (local.get $p1) (i32.const 16)))
              (local.set $j (i32.add (local.get $j) (i32.const 8)))
              (br_if $features (i32.lt_u (local.get $j) (local.get $wEnd))))
            ;; a = [u > lim]; its bits for rows i … i + 3 against the mask bytes of those rows, read as bits too.
            (local.set $k (f64x2.gt (local.get $u) (f64x2.splat (local.get $lim))))
            (local.set $l (f64x2.gt (local.get $v) (f64x2.splat (local.get $lim))))
            (local.set $bits (i32.or (i64x2.bitmask (local.get $k)) (i32.shl (i64x2.bitmask (local.get $l)) (i32.const 2))))
            (local.set $cnt (i32.add (local.get $cnt) (i32.popcnt (local.get $bits))))
            (local.set $old (i32.load (i32.add (local.get $mask) (local.get $i))))
            (local.set $old (i32.or (i32.or (i32.and (local.get $old) (i32.const 1))
                (i32.and (i32.shr_u (local.get $old) (i32.const 7)) (i32.const 2)))
              (i32.or (i32.and (i32.shr_u (local.get $old) (i32.const 14)) (i32.const 4))
                (i32.and (i32.shr_u (local.get $old) (i32.const 21)) (i32.const 8)))))
            (if (i32.ne (local.get $bits) (local.get $old))
              (then
                (local.set $q (i32.const 0))
                (loop $each
                  (if (i32.and (i32.shr_u (i32.xor (local.get $bits) (local.get $old)) (local.get $q)) (i32.const 1))
                    (then
                      (i32.store8 (i32.add (i32.add (local.get $mask) (local.get $i)) (local.get $q))
                        (i32.and (i32.shr_u (local.get $bits) (local.get $q)) (i32.const 1)))
                      (i32.store (i32.add (local.get $flips) (i32.shl (local.get $nf) (i32.const 2)))
                        (i32.add (local.get $i) (local.get $q)))
                      (local.set $nf (i32.add (local.get $nf) (i32.const 1)))))
                  (local.set $q (i32.add (local.get $q) (i32.const 1)))
                  (br_if $each (i32.lt_u (local.get $q) (i32.const 4))))))
            ;; r = a·u − y (a as 1 or 0: the comparison's mask and [1, 1]); Σ r², rows i … i + 3 in turn.
            (local.set $k (v128.and (local.get $k) (v128.load (i32.const 0))))
            (local.set $l (v128.and (local.get $l) (v128.load (i32.const 0))))
            (local.set $g (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3))))
            (local.set $u (f64x2.sub (f64x2.mul (local.get $k) (local.get $u)) (v128.load (local.get $g))))
            (local.set $v (f64x2.sub (f64x2.mul (local.get $l) (local.get $v)) (v128.load offset=16 (local.get $g))))
            (local.set $k (f64x2.mul (local.get $u) (local.get $u)))
            (local.set $l (f64x2.mul (local.get $v) (local.get $v)))
            (local.set $sumSq (f64.add (f64.add (f64.add (f64.add (local.get $sumSq)
              (f64x2.extract_lane 0 (local.get $k))) (f64x2.extract_lane 1 (local.get $k)))
              (f64x2.extract_lane 0 (local.get $l))) (f64x2.extract_lane 1 (local.get $l))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $quads)))

        ;; The block's last rows (fewer than four), one at a time, from the row-major copy.
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_s (local.get $i) (local.get $end)))
            (local.set $p0 (i32.add (local.get $x) (i32.mul (local.get $i) (i32.shr_u (local.get $pair) (i32.const 1)))))
            (local.set $us (local.get $b))
            (local.set $j (i32.const 0))
            (block $usDone
              (loop $usLoop
                (br_if $usDone (i32.ge_u (i32.add (local.get $w) (local.get $j)) (local.get $wEnd)))
                (local.set $us (f64.add (local.get $us)
                  (f64.mul (f64.load (i32.add (local.get $w) (local.get $j))) (f64.load (i32.add (local.get $p0) (local.get $j))))))
                (local.set $j (i32.add (local.get $j) (i32.const 8)))
                (br $usLoop)))
            (local.set $bits (f64.gt (local.get $us) (local.get $lim)))
            (local.set $as (f64.convert_i32_s (local.get $bits)))
            (local.set $rs (f64.sub (f64.mul (local.get $as) (local.get $us))
              (f64.load (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3))))))
            (local.set $sumSq (f64.add (local.get $sumSq) (f64.mul (local.get $rs) (local.get $rs))))
            (local.set $cnt (i32.add (local.get $cnt) (local.get $bits)))
            (if (i32.ne (local.get $bits) (i32.load8_u (i32.add (local.get $mask) (local.get $i))))
              (then
                (i32.store8 (i32.add (local.get $mask) (local.get $i)) (local.get $bits))
                (i32.store (i32.add (local.get $flips) (i32.shl (local.get $nf) (i32.const 2))) (local.get $i))
                (local.set $nf (i32.add (local.get $nf) (i32.const 1)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $tail)))
        (local.set $total (f64.add (local.get $total) (local.get $sumSq)))
        (br $blocks)))

    (f64.store (local.get $out) (local.get $total))
    (f64.store offset=8 (local.get $out) (f64.convert_i32_s (local.get $cnt)))
    (local.get $nf))
)
