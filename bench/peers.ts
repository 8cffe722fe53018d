/**
 * TensorFlow.js as the peer: the same neuron l = mean((relu(X w + b) − y)²), data, θ_0, α and epochs,
 * on the tfjs CPU backend and on tfjs-backend-wasm (XNNPACK, SIMD; loaded offline from node_modules).
 * Two ways to write the epoch:
 * - `minimize`: the idiomatic one, tf.train.sgd(α).minimize(loss, returnCost) with autodiff;
 * - `manual`: the gradient written out, ∂l/∂w = (2/N) Xᵀ(a ⊙ r), ∂l/∂b = (2/N) Σ a ⊙ r with
 *   a = step(u), r = relu(u) − y: fewer kernels per epoch, the fastest tfjs form we found.
 * Both read l_t back every epoch (dataSync), as the engine records it; on these synchronous backends
 * that costs microseconds.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { dirname, join } from 'node:path';
import type { Samples } from '../src/engine';
import type { RunConfig } from './engine';
import { now } from './timing';

export type Backend = 'cpu' | 'wasm';
export type Style = 'minimize' | 'manual';

export interface TfInfo {
  version: string;
  wasmSimd: boolean;
  wasmThreads: number;
}

/** Registers both backends, the wasm one from the package's own .wasm files (no network). */
export async function initTf(): Promise<TfInfo> {
  setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  // The CPU backend greets Node users once with advice to install tfjs-node; keep the table clean.
  const warn = console.warn;
  console.warn = () => {};
  try {
    await tf.setBackend('cpu');
    await tf.setBackend('wasm');
  } finally {
    console.warn = warn;
  }
  return {
    version: tf.version_core,
    wasmSimd: (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean,
    // tfjs disables its threaded wasm build under Node (tfjs issue #3830): one thread.
    wasmThreads: getThreadsCount(),
  };
}

/** One contender: data and variables live on its own backend, which it selects before each run. */
export class TfTrainer {
  private readonly x: tf.Tensor2D;
  private readonly y: tf.Tensor2D;
  private readonly w: tf.Variable;
  private readonly b: tf.Variable;
  private readonly optimizer: tf.SGDOptimizer;

  /** Creates the tensors on `backend`. */
  static async create(backend: Backend, style: Style, samples: Samples, config: RunConfig): Promise<TfTrainer> {
    await tf.setBackend(backend);
    return new TfTrainer(backend, style, samples, config);
  }

  private constructor(
    readonly backend: Backend,
    readonly style: Style,
    private readonly samples: Samples,
    private readonly config: RunConfig,
  ) {
    const { n, d } = samples;
    this.x = tf.tensor2d(Float32Array.from(samples.x), [n, d]);
    this.y = tf.tensor2d(Float32Array.from(samples.y), [n, 1]);
    this.w = tf.variable(tf.zeros([d, 1]));
    this.b = tf.variable(tf.scalar(0));
    this.optimizer = tf.train.sgd(config.learningRate);
  }

  get name(): string {
    return `tfjs-${this.backend} (${this.style})`;
  }

  /** One training run from θ_0: milliseconds of the epochs, and l_0 … l_{E−1}. */
  async train(): Promise<{ ms: number; losses: Float64Array }> {
    await tf.setBackend(this.backend);
    const { x, y, w, b, optimizer } = this;
    const { epochs, learningRate, theta0 } = this.config;
    tf.tidy(() => {
      w.assign(tf.tensor2d(theta0.w, [theta0.w.length, 1]));
      b.assign(tf.scalar(theta0.b));
    });
    const losses = new Float64Array(epochs);
    const loss = () => tf.mean(tf.square(tf.sub(tf.relu(tf.add(tf.matMul(x, w), b)), y))) as tf.Scalar;
    const step = (2 * learningRate) / this.samples.n;
    const manual = () =>
      tf.tidy(() => {
        const u = tf.add(tf.matMul(x, w), b);
        const r = tf.sub(tf.relu(u), y);
        const ar = tf.mul(r, tf.step(u));
        w.assign(tf.sub(w, tf.mul(tf.matMul(x, ar, true, false), step)));
        b.assign(tf.sub(b, tf.mul(tf.sum(ar), step)));
        return tf.mean(tf.square(r)) as tf.Scalar;
      });
    const t0 = now();
    for (let t = 0; t < epochs; t++) {
      const cost = this.style === 'minimize' ? optimizer.minimize(loss, true)! : manual();
      losses[t] = cost.dataSync()[0];
      cost.dispose();
    }
    return { ms: now() - t0, losses };
  }

  dispose(): void {
    tf.dispose([this.x, this.y, this.w, this.b]);
    this.optimizer.dispose();
  }
}
