/**
 * The first layer of a training, kept in the kernels' memory: W1 stays there for the whole training, and each
 * iteration's two products with the training set X (dW1 = (1/m)·dZ1·Xᵀ, then the next Z1's W1·X) share one pass over
 * X with the update of W1 between them (first-layer.as.ts). Every value is the one the separate products and
 * update_parameters give, bit for bit; only the order of the loops differs.
 */
import { BlockSet, f64View, memory } from './heap.ts';
import { pinnedAddress, THREAD_MIN_MADDS, transposeInto } from './gemm-wasm.ts';
import { ERRORS_BYTE, liveThreads, runParts } from './threads.ts';

/** Bytes of X per block: it stays in the cores' L2 (1 MB each) between the block's two uses. */
const BLOCK_BYTES = 256 * 1024;
/** Items per block and phase: several per thread, so that a thread slowed down by the machine takes fewer. */
const CHUNKS = 4;
const BACKWARD = 1;
const FORWARD = 2;

export interface FirstLayerOptions {
  /** rows of X per block (default: BLOCK_BYTES of X); tests use small blocks for many dependencies */
  blockRows?: number;
  /** items per block in each phase (default CHUNKS) */
  chunks?: number;
  /** threads taking items (default: every live kernel thread for large layers, else 1) */
  parts?: number;
}

export class FirstLayer {
  readonly h: number;
  readonly n0: number;
  readonly m: number;
  private readonly hPad: number;
  private readonly x: number;
  private readonly blocks = new BlockSet();
  private readonly w: number;
  private readonly dzT: number;
  private readonly dw: number;
  private readonly p: number;
  private readonly sync: number;
  /** i32 counters at `sync`: the next item, A items done per block, blocks of B done per column range */
  private readonly counters: number;
  private readonly blockRows: number;
  private readonly chunks: number;
  private readonly parts: number;

  /** X (n0 × m) must be pinned (`pin`); W1 (h × n0) is copied in. */
  constructor(X: Float64Array, n0: number, m: number, W1: Float64Array, h: number, options: FirstLayerOptions = {}) {
    const x = pinnedAddress(X);
    if (x === undefined) throw new Error("FirstLayer: X must be pinned in the kernels' memory");
    if (X.length !== n0 * m || W1.length !== h * n0)
      throw new RangeError(`FirstLayer: X has ${X.length} values for ${n0}×${m}, W1 ${W1.length} for ${h}×${n0}`);
    this.x = x;
    [this.h, this.n0, this.m] = [h, n0, m];
    this.hPad = Math.ceil(h / 4) * 4;
    this.blockRows = Math.max(1, Math.floor(options.blockRows ?? BLOCK_BYTES / (8 * m)));
    this.chunks = options.chunks ?? CHUNKS;
    this.parts = options.parts ?? (h * n0 * m >= THREAD_MIN_MADDS ? liveThreads() : 1);
    this.counters = 1 + Math.ceil(n0 / this.blockRows) + this.chunks;
    const take = (values: number) => this.blocks.take(values * 8);
    try {
      this.w = take(h * n0);
      this.dzT = take(m * this.hPad);
      this.dw = take(this.hPad * n0);
      this.p = take(h * m);
      this.sync = take(Math.ceil(this.counters / 2));
    } catch (e) {
      this.dispose();
      throw e;
    }
    f64View(this.w, h * n0).set(W1);
    f64View(this.dzT, m * this.hPad).fill(0); // the padding columns stay zero
  }

  /** Z1 without b1: W1·X, as computed by the last `forward` or `descend` (h × m, a view: copy before the next call). */
  product(): Float64Array {
    return f64View(this.p, this.h * this.m);
  }

  /** W1 (a copy). */
  weights(): Float64Array {
    return f64View(this.w, this.h * this.n0).slice();
  }

  /** product() = W1·X. */
  forward(): void {
    this.run(FORWARD, 1, 0);
  }

  /**
   * dW1 = (1/m)·dZ1·Xᵀ and W1 = W1 - learningRate·dW1; then, unless this was the last iteration, product() = W1·X
   * with the new W1, for the next iteration's forward step.
   */
  descend(dZ1: Float64Array, learningRate: number, next: boolean): void {
    const { h, m, hPad } = this;
    if (dZ1.length !== h * m)
      throw new RangeError(`FirstLayer.descend: dZ1 has ${dZ1.length} values, expected ${h}×${m}`);
    transposeInto(f64View(this.dzT, m * hPad), dZ1, h, m, hPad);
    this.run(BACKWARD | (next ? FORWARD : 0), 1 / m, learningRate);
  }

  /** Gives the kernel memory back; the object must not be used afterwards. */
  dispose(): void {
    this.blocks.release();
  }

  private run(mode: number, alpha: number, lr: number): void {
    new Int32Array(memory.buffer, this.sync, this.counters).fill(0);
    const args = [
      this.sync,
      ERRORS_BYTE,
      this.x,
      this.n0,
      this.m,
      this.h,
      this.hPad,
      this.w,
      this.dzT,
      this.dw,
      this.p,
      alpha,
      lr,
      this.blockRows,
      this.chunks,
      this.chunks,
      mode,
    ];
    runParts(
      'firstLayerPass',
      Array.from({ length: this.parts }, () => args),
    );
  }
}
