/**
 * A JavaScript/TypeScript engine module run in a worker thread (node:worker_threads): the default of
 * describeEngine for a module path. Every call has a timeout; a call that does not return in time (a synchronous
 * endless loop included, which nothing in the calling thread could stop) terminates the worker, fails with the
 * function and the inputs that hung, and the next call starts a fresh worker: the run goes on. As in the CLI, a
 * function that hung is not called again in the run (it fails fast, naming the first hang).
 */
import { Worker } from 'node:worker_threads';
import { extname, isAbsolute, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EngineFault, type Dict, type Engine, type EngineNotice, type Value } from '../../engine/engine.ts';
import { decodeValue, encodeValue } from '../../protocol/codec.ts';
import { argumentSummary } from '../../engine/describe-call.ts';
import { markJavaScript } from '../../engine/js-terms.ts';
import { registerEngineSource } from '../../engine/source.ts';
import { typescriptLoader } from '../index.ts';
import type { FromWorker, ToWorker } from './thread.ts';

export interface WorkerEngineOptions {
  /** for reports and test titles (default "worker:<file>") */
  name?: string;
  /** notebook name -> the engine's own name, e.g. { linear_forward: 'linearForward' } */
  map?: Record<string, string>;
  /** per-call timeout in ms (default 10000); the first call of a worker also gets the time to import the module */
  timeoutMs?: number;
  /** how long importing the module may take (default 30000) */
  startTimeoutMs?: number;
}

const FROM_SOURCES = import.meta.url.endsWith('.ts');
const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);

interface Pending {
  resolve(m: FromWorker): void;
  reject(e: Error): void;
}

class WorkerEngine implements Engine {
  readonly name: string;
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly hung = new Map<string, EngineFault>();
  private readonly notices: EngineNotice[] = [];
  private started: Promise<string[]> | undefined;
  readonly file: string;
  restarts = 0;

  constructor(
    module: string | URL,
    private readonly options: WorkerEngineOptions,
  ) {
    this.file =
      module instanceof URL ? fileURLToPath(module) : module.startsWith('file:') ? fileURLToPath(module) : module;
    this.name = options.name ?? `worker:${this.file}`;
  }

  private spawn(): Worker {
    const typescript = FROM_SOURCES || TYPESCRIPT.has(extname(this.file));
    const thread = new URL(FROM_SOURCES ? './thread.ts' : './thread.js', import.meta.url).href;
    // tsx's ESM API, registered by boot.mjs inside the worker (a worker's execArgv cannot take --import on Node 20)
    const tsx = typescript ? new URL('./esm/api/index.mjs', typescriptLoader(this.file)).href : undefined;
    const worker = new Worker(new URL('./boot.mjs', import.meta.url), {
      workerData: { module: pathToFileURL(this.file).href, map: this.options.map ?? {}, thread, tsx },
      execArgv: [],
    });
    worker.on('message', (m: FromWorker) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      p?.resolve(m);
    });
    const gone = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.started = undefined;
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(new Error(why));
      }
    };
    worker.on('error', (err) => gone(`the worker failed: ${err.stack ?? err.message}`));
    worker.on('exit', (code) => gone(`the worker exited with code ${code}`));
    worker.unref(); // a worker left running never holds the test process open
    return worker;
  }

  private post(req: ToWorker, fn: string, timeoutMs: number, what: string): Promise<FromWorker> {
    if (!this.worker) {
      if (this.restarts > 0 || this.started) this.restarts++;
      this.worker = this.spawn();
    }
    const worker = this.worker;
    return new Promise<FromWorker>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(req.id);
        if (this.worker === worker) {
          this.worker = undefined;
          this.started = undefined;
        }
        void worker.terminate();
        reject(
          new EngineFault(
            'timeout',
            fn,
            `no answer within ${timeoutMs} ms (${what}); the worker was terminated, and a fresh one serves the next call`,
          ),
        );
      }, timeoutMs);
      this.pending.set(req.id, {
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(new EngineFault('crash', fn, `${e.message}; it is restarted for the next call`));
        },
      });
      worker.postMessage(req);
    });
  }

  /** Imports the module in a worker (once per worker) and returns its function names. */
  private hello(fn: string): Promise<string[]> {
    this.started ??= (async () => {
      const m = await this.post(
        { id: this.nextId++, op: 'hello' },
        fn,
        this.options.startTimeoutMs ?? 30_000,
        `importing ${this.file}`,
      );
      if (!m.ok)
        throw new EngineFault(
          'exception',
          fn,
          `the engine module could not be imported: ${m.message}${m.stack ? `\n${m.stack}` : ''}`,
        );
      return m.functions ?? [];
    })();
    const started = this.started;
    started.catch(() => {
      if (this.started === started) this.started = undefined;
    });
    return started;
  }

  async functions(): Promise<ReadonlySet<string>> {
    return new Set(await this.hello(''));
  }

  async call(fn: string, args: readonly Value[], kwargs?: Readonly<Dict>): Promise<Value> {
    const first = this.hung.get(fn);
    if (first)
      throw new EngineFault(
        'timeout',
        fn,
        `not called again: it hung earlier in this run (first timeout: ${first.message})`,
      );
    if (kwargs && Object.keys(kwargs).length > 0)
      throw new EngineFault('exception', fn, 'TypeError: keyword arguments are not supported by JavaScript engines');
    await this.hello(fn);
    const what = `${fn}(${argumentSummary(fn, args)})`;
    let m: FromWorker;
    try {
      m = await this.post(
        { id: this.nextId++, op: 'call', fn, args: args.map(encodeValue) },
        fn,
        this.options.timeoutMs ?? 10_000,
        what,
      );
    } catch (err) {
      if (err instanceof EngineFault && err.kind === 'timeout') this.hung.set(fn, err);
      throw err;
    }
    if (!m.ok)
      throw new EngineFault(
        m.kind === 'protocol' ? 'protocol' : 'exception',
        fn,
        m.kind === 'load' ? `the engine module could not be imported: ${m.message}\n${m.stack ?? ''}` : m.message,
        m.stack,
      );
    if (m.mutated?.length) this.notices.push({ kind: 'mutates-input', fn, paths: m.mutated });
    return decodeValue(m.value ?? null, `${fn}(...) result`);
  }

  takeNotices(): EngineNotice[] {
    return this.notices.splice(0);
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.started = undefined;
    if (w) await w.terminate();
  }
}

/** An engine module (a path or a file: URL, .js or .ts) run in a worker thread with a per-call timeout. */
export function workerEngine(module: string | URL, options: WorkerEngineOptions = {}): Engine {
  const engine = new WorkerEngine(module, options);
  // its replays re-run the same file: dnn-verify check --module FILE
  registerEngineSource(engine, { flag: '--module', value: relativeToCwd(engine.file), map: options.map });
  return markJavaScript(engine);
}

function relativeToCwd(file: string): string {
  const r = relative(process.cwd(), file);
  return r && !r.startsWith('..') && !isAbsolute(r) ? `./${r}` : file;
}
