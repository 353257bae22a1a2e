/**
 * An engine in another process, spoken to over the JSON-lines protocol (src/protocol/README.md): a Python module
 * or notebook (through python/runner.py), a JavaScript module (through js/runner.ts) or any command. Faults are
 * contained: a call that does not answer within the timeout kills the process (restarted for the next call), a
 * process that dies is restarted, stray output is kept and shown with the fault it preceded.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { EngineFault, type Dict, type Engine, type Value } from '../engine/engine.ts';
import {
  decodeValue,
  encodeValue,
  parseResponse,
  ProtocolError,
  type Request,
  type Response,
} from '../protocol/codec.ts';

export interface ProcessEngineOptions {
  /** program and arguments */
  command: string;
  args: string[];
  /** for reports, e.g. "python:student.ipynb" */
  name: string;
  /** per-call timeout in ms (default 10 s) */
  timeoutMs?: number;
  /** notebook name -> engine name; requests keep notebook names, the runners translate (python: --map) */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** run through a shell (for --command "CMD") */
  shell?: boolean;
}

const KEEP = 4000; // characters of stray output kept for fault messages

export class ProcessEngine implements Engine {
  readonly name: string;
  private child?: ChildProcessWithoutNullStreams;
  private nextId = 1;
  private pending = new Map<number, { resolve: (r: Response) => void; reject: (e: Error) => void }>();
  private stray = '';
  private exited?: string;
  private fnNames?: ReadonlySet<string>;
  restarts = 0;

  constructor(private readonly options: ProcessEngineOptions) {
    this.name = options.name;
  }

  private start(): void {
    this.exited = undefined;
    const child = spawn(this.options.command, this.options.args, {
      cwd: this.options.cwd,
      env: this.options.env ?? process.env,
      shell: this.options.shell ?? false,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (this.child !== child) return;
      const r = parseResponse(line);
      const waiter = r ? this.pending.get(r.id) : undefined;
      if (r && waiter) {
        this.pending.delete(r.id);
        waiter.resolve(r);
      } else this.keep(`[stdout] ${line}\n`);
    });
    child.stderr.on('data', (d: Buffer) => this.keep(d.toString()));
    // events of a process already given up on (killed after a timeout) must not touch its successor
    child.on(
      'error',
      (err) => this.child === child && this.die(`could not start ${this.options.command}: ${err.message}`),
    );
    child.on(
      'exit',
      (code, signal) => this.child === child && this.die(signal ? `killed by ${signal}` : `exited with code ${code}`),
    );
    child.stdin.on('error', () => {}); // a dead pipe surfaces through 'exit'
  }

  private keep(text: string): void {
    this.stray = (this.stray + text).slice(-KEEP);
  }

  private die(why: string): void {
    if (this.child === undefined) return;
    this.exited = why;
    this.child = undefined;
    for (const [, w] of this.pending) w.reject(new EngineFault('crash', '', why));
    this.pending.clear();
  }

  private takeOutput(): string | undefined {
    const out = this.stray.trim();
    this.stray = '';
    return out || undefined;
  }

  private async request(req: Omit<Request, 'id'>, fn: string): Promise<Value> {
    if (!this.child) {
      if (this.exited !== undefined) this.restarts++;
      this.start();
    }
    const child = this.child!;
    const id = this.nextId++;
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const response = await new Promise<Response>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        // give the process up at once: the next call starts a fresh one
        this.child = undefined;
        this.exited = 'timed out';
        child.kill('SIGKILL');
        reject(
          new EngineFault(
            'timeout',
            fn,
            `no answer within ${timeoutMs} ms; the engine was restarted`,
            this.takeOutput(),
          ),
        );
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(
            e instanceof EngineFault
              ? new EngineFault(
                  e.kind,
                  fn,
                  `the engine process ${this.exited ?? 'died'} during the call; it will be restarted`,
                  this.takeOutput(),
                )
              : e,
          );
        },
      });
      child.stdin.write(`${JSON.stringify({ id, ...req })}\n`);
    });
    if (!response.ok) {
      const e = response.error;
      throw new EngineFault(
        e.type === 'NameError' && /defines no function/.test(e.message) ? 'missing' : 'exception',
        fn,
        `${e.type}: ${e.message}`,
        e.traceback ?? this.takeOutput(),
      );
    }
    try {
      return decodeValue(response.value, `${fn}(...) result`);
    } catch (err) {
      if (err instanceof ProtocolError) throw new EngineFault('protocol', fn, err.message, this.takeOutput());
      throw err;
    }
  }

  async functions(): Promise<ReadonlySet<string>> {
    if (!this.fnNames) {
      const hello = await this.request({ op: 'hello' }, 'hello');
      const list = hello && typeof hello === 'object' && !Array.isArray(hello) ? (hello as Dict).functions : undefined;
      if (!Array.isArray(list)) throw new EngineFault('protocol', 'hello', 'the engine did not list its functions');
      this.fnNames = new Set(list.filter((x): x is string => typeof x === 'string'));
    }
    return this.fnNames;
  }

  call(fn: string, args: readonly Value[], kwargs: Readonly<Dict> = {}): Promise<Value> {
    const wireKwargs: Request['kwargs'] = {};
    for (const [k, v] of Object.entries(kwargs)) wireKwargs[k] = encodeValue(v);
    return this.request({ op: 'call', fn, args: args.map(encodeValue), kwargs: wireKwargs }, fn);
  }

  async seed(seed: number): Promise<void> {
    await this.request({ op: 'seed', seed }, 'seed');
  }

  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    try {
      child.stdin.write(`${JSON.stringify({ id: this.nextId++, op: 'bye' })}\n`);
      child.stdin.end();
    } catch {
      /* already gone */
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, 2000);
      child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.child = undefined;
  }
}
