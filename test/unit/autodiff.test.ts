import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { createEvaluation, evaluateInto, seededUniform } from '../../src/engine';

/**
 * An independent reference: TensorFlow.js's automatic differentiation of the same loss,
 * l = mean((relu(Xw + b) − y)²). tf's relu has ReLU'(0) = 0, so it is compared with that convention,
 * and with ReLU'(0) = 1 away from u = 0 (where the conventions agree).
 */
describe('the gradient agrees with TensorFlow.js autodiff', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  for (const reluGradAtZero of [0, 1] as const) {
    it(`on 50 random datasets with ReLU'(0) = ${reluGradAtZero} (relative error < 1e-5: tf computes in float32)`, () => {
      const rand = seededUniform(1234 + reluGradAtZero);
      for (let trial = 0; trial < 50; trial++) {
        const d = 1 + Math.floor(rand() * 6);
        const n = 1 + Math.floor(rand() * 60);
        const x = Float64Array.from({ length: n * d }, () => rand() * 4 - 2);
        const y = Float64Array.from({ length: n }, () => rand() * 3);
        const w = Float64Array.from({ length: d }, () => rand() * 2 - 1);
        const b = rand() - 0.5;
        const ours = evaluateInto({ n, d, x, y }, w, b, reluGradAtZero, createEvaluation(d));

        // tf computes in float32 here; the tolerance reflects that, not our Float64.
        const [gw, gb] = tf.tidy(() => {
          const X = tf.tensor2d(Array.from(x), [n, d]);
          const Y = tf.tensor1d(Array.from(y));
          const grads = tf.grads((wt: tf.Tensor, bt: tf.Tensor) => {
            const u = tf.add(tf.squeeze(tf.matMul(X, tf.reshape(wt, [d, 1])), [1]), bt);
            return tf.mean(tf.square(tf.sub(tf.relu(u), Y)));
          });
          return grads([tf.tensor1d(Array.from(w)), tf.scalar(b)]).map((g) => g.dataSync());
        });
        const scale = Math.max(1, ...Array.from(ours.gradW, Math.abs), Math.abs(ours.gradB));
        for (let j = 0; j < d; j++)
          assert.ok(Math.abs(gw[j] - ours.gradW[j]) / scale < 1e-5, `trial ${trial} w${j}: ${gw[j]} vs ${ours.gradW[j]}`);
        assert.ok(Math.abs(gb[0] - ours.gradB) / scale < 1e-5, `trial ${trial} b: ${gb[0]} vs ${ours.gradB}`);
      }
    });
  }
});
