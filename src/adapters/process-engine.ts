/**
 * An engine in another process, spoken to over the JSON-lines protocol (src/protocol/README.md): a Python module
 * or notebook (through python/runner.py), a JavaScript module (through js/serve-module.ts) or any command. Faults are
 * contained: a call that does not answer within the timeout kills the process (restarted for the next call) and
 * that function fails fast for the rest of the run; a process that dies is restarted; stray output is kept and
 * shown with the fault it preceded. Every process is started through a sandbox (src/sandbox/README.md) that
 * builds its command line, environment and limits, and ends everything it started.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { firstError } from '../engine/first-error.ts';
import {
  EngineFault,
  type Dict,
  type Engine,
  type EngineNotice,
  type LoadInfo,
  type TestGlobal,
  type Value,
} from '../engine/engine.ts';
import {
  decodeValue,
  encodeValue,
  parseResponse,
  ProtocolError,
  type Request,
  type Response,
  type Wire,
} from '../protocol/codec.ts';
import { changedArguments } from './mutation.ts';
import { createSandbox, type Jail, type Sandbox } from '../sandbox/sandbox.ts';
import { breachIn, describeBreach, formatSize, type LimitName } from '../sandbox/limits.ts';

export interface ProcessEngineOptions {
  /** program and arguments */
  command: string;
  args: string[];
  /** for reports, e.g. "python:student.ipynb" */
  name: string;
  /** per-call timeout in ms (default 10 s) */
  timeoutMs?: number;
  /**
   * how long the call that starts the process (the first, and the first after a restart) may take: the engine's
   * start-up (Python, NumPy, loading the file) is not the call's, and on a loaded machine can take seconds
   * (default 60 s)
   */
  startTimeoutMs?: number;
  /** working directory (default: the sandbox's scratch directory) */
  cwd?: string;
  /** run through a shell (for --command "CMD") */
  shell?: boolean;
  /** the sandbox to run in (default: none, the explicit opt-out; the CLI's default is `auto`) */
  sandbox?: Sandbox;
  /** files and directories the engine reads (visible read-only in the sandbox) */
  read?: string[];
  /** `command` is a Python interpreter: the sandbox exposes its install */
  python?: boolean;
  /**
   * longest protocol line (one answer) read, in bytes, in every sandbox mode (default: the sandbox's output limit,
   * at most LINE_LIMIT); a longer one is a fault of the call, and the engine is restarted
   */
  lineLimitBytes?: number;
  /**
   * The engine's runner speaks the planned protocol (python/runner.py): each process's first line is the plan of
   * the file it loads, sent before any of the engine's code runs (the suite takes the functions, their parameters,
   * what was dropped and what did not parse from it, never from a later answer), and each call's answer carries the
   * arguments' state after the call, which the suite compares with what it sent (the mutation check).
   */
  planned?: boolean;
}

/** SIGKILL for 9 */
function signalName(n: number): NodeJS.Signals | undefined {
  return (Object.entries(osConstants.signals) as [NodeJS.Signals, number][]).find(([, v]) => v === n)?.[0];
}

/** The plan a planned runner sends before the engine's code runs. */
interface Plan {
  functions: Record<string, string[]>;
  dropped: { where: string; text: string; why: string; order: [number, number] }[];
  broken: Record<string, string>;
  loadError?: string;
  /** names the course template's import cell binds, which the file reads and never binds (runner.py) */
  supplied?: string[];
  /** why a .py is read as a notebook's cells (runner.py's `modeReason`, sent only then) */
  modeReason?: string;
  testGlobals?: Record<string, TestGlobal[]>;
  calls?: Record<string, string[]>;
}

const str = (x: unknown, max = 200) => String(x ?? '').slice(0, max);
const order = (x: unknown): [number, number] =>
  Array.isArray(x) && x.length === 2 ? [Number(x[0]) || 0, Number(x[1]) || 0] : [0, 0];
const dropEntry = (d: unknown) => {
  const o = (d && typeof d === 'object' && !Array.isArray(d) ? d : {}) as Record<string, unknown>;
  return { where: str(o.where), text: str(o.text), why: str(o.why), order: order(o.order) };
};

/**
 * The plan's test globals, each marked `unset` where the hello says no statement bound it. Only names the plan
 * (sent before the file's code ran) already lists are marked: the mark changes a warning's words, never a verdict.
 */
function withUnset(globals: Record<string, TestGlobal[]>, unset: unknown): Record<string, TestGlobal[]> {
  const names = new Set(Array.isArray(unset) ? unset.slice(0, 100).map((n) => str(n, 80)) : []);
  if (!names.size) return globals;
  return Object.fromEntries(
    Object.entries(globals).map(([fn, gs]) => [fn, gs.map((g) => (names.has(g.name) ? { ...g, unset: true } : g))]),
  );
}

function parsePlan(v: unknown): Plan | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const fns = o.functions;
  if (!fns || typeof fns !== 'object' || Array.isArray(fns)) return undefined;
  const functions: Record<string, string[]> = {};
  for (const [k, ps] of Object.entries(fns)) functions[k] = Array.isArray(ps) ? ps.map((p) => str(p)) : [];
  const broken: Record<string, string> = {};
  if (o.broken && typeof o.broken === 'object' && !Array.isArray(o.broken))
    for (const [k, why] of Object.entries(o.broken)) broken[k] = str(why, 400);
  const testGlobals: Record<string, TestGlobal[]> = {};
  if (o.testGlobals && typeof o.testGlobals === 'object' && !Array.isArray(o.testGlobals))
    for (const [k, gs] of Object.entries(o.testGlobals))
      if (Array.isArray(gs))
        testGlobals[k] = gs.slice(0, 20).map((g) => {
          const d = (g && typeof g === 'object' && !Array.isArray(g) ? g : {}) as Record<string, unknown>;
          return { name: str(d.name, 80), where: str(d.where, 80), text: str(d.text, 120) };
        });
  const calls: Record<string, string[]> = {};
  if (o.calls && typeof o.calls === 'object' && !Array.isArray(o.calls))
    for (const [k, gs] of Object.entries(o.calls).slice(0, 500))
      if (Array.isArray(gs)) calls[str(k, 80)] = gs.slice(0, 500).map((g) => str(g, 80));
  return {
    functions,
    ...(Object.keys(calls).length ? { calls } : {}),
    dropped: Array.isArray(o.dropped) ? o.dropped.map(dropEntry) : [],
    broken,
    ...(Object.keys(testGlobals).length ? { testGlobals } : {}),
    ...(typeof o.loadError === 'string' ? { loadError: o.loadError } : {}),
    ...(Array.isArray(o.supplied) && o.supplied.length
      ? { supplied: o.supplied.slice(0, 100).map((n) => str(n, 80)) }
      : {}),
    ...(o.mode === 'notebook' && typeof o.modeReason === 'string' && o.modeReason
      ? { modeReason: str(o.modeReason, 400) }
      : {}),
  };
}

const KEEP = 4000; // characters of stray output kept for fault messages
/**
 * The protocol's default line limit: the largest answer the checks need (the real-size gradient check's
 * gradients) is a few MiB of base64
 */
export const LINE_LIMIT = 64 * 1024 ** 2;
const CPU_POLL_MS = 500;
/** how long a fresh process may take to answer its first request (start-up included) */
const START_TIMEOUT_MS = 60_000;

/** Engines with live processes, ended synchronously if the suite exits without closing them. */
const live = new Set<ProcessEngine>();
let exitHook = false;

export class ProcessEngine implements Engine {
  readonly name: string;
  private child?: ChildProcessWithoutNullStreams;
  private nextId = 1;
  private pending = new Map<number, { resolve: (r: Response) => void; reject: (e: Error) => void }>();
  private stray = '';
  /** what the current process wrote (its tail): a breach is read from this, never from a predecessor's output */
  private recent = '';
  private exited?: string;
  /** a limit the current process broke, named in the fault of the call it broke it in */
  private breach?: LimitName;
  /** the current process sent a line longer than the line limit */
  private overlong = false;
  private readonly lineLimit: number;
  private fnNames?: ReadonlySet<string>;
  /** the plan of the first process (planned runners): later processes load the same file */
  private plan?: Plan;
  private load: LoadInfo = {};
  private notices: EngineNotice[] = [];
  /**
   * functions that timed out or broke a limit once, with that first fault: they are not called again in this
   * run (property shrinking would otherwise pay a timeout or a restart per call)
   */
  private readonly hung = new Map<string, EngineFault>();
  private readonly jail: Jail;
  private readonly sandbox: Sandbox;
  private outBytes = 0;
  /** the current process has not answered yet: its first answer waits for its start-up too */
  private fresh = false;
  /** the killing of the previous process and all it started: a new one starts only after it */
  private ending: Promise<void> = Promise.resolve();
  restarts = 0;

  constructor(private readonly options: ProcessEngineOptions) {
    this.name = options.name;
    this.sandbox = options.sandbox ?? createSandbox({ mode: 'none' });
    this.lineLimit = options.lineLimitBytes ?? Math.min(this.sandbox.limits.outputBytes, LINE_LIMIT);
    this.jail = this.sandbox.jail({
      command: options.command,
      args: options.args,
      shell: options.shell,
      cwd: options.cwd,
      read: options.read ?? [],
      python: options.python,
    });
    if (!exitHook) {
      exitHook = true;
      process.on('exit', () => {
        for (const e of live) e.endAll();
      });
    }
  }

  private start(): void {
    this.exited = undefined;
    this.breach = undefined;
    this.overlong = false;
    this.recent = '';
    this.fresh = true;
    const launch = this.jail.launch();
    const child = spawn(launch.command, launch.args, {
      cwd: launch.cwd,
      env: launch.env,
      shell: launch.shell,
      detached: launch.detached,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    live.add(this);
    // linear-time framing: each byte is looked at once for a newline (never the whole partial line again), the
    // partial line is kept as chunks and joined once, and it may not grow past the line limit; the complete lines
    // of a chunk are decoded together
    let partial: Buffer[] = [];
    let partialBytes = 0;
    // a planned runner's first line, written before the engine's code ran: anything later is the engine's word
    let planLine = this.options.planned === true;
    const overlong = () => {
      partial = [];
      partialBytes = 0;
      this.overlong = true;
      this.stray = this.stray.slice(-KEEP);
      this.die(`sent more than ${formatSize(this.lineLimit)} without a newline`);
    };
    child.stdout.on('data', (d: Buffer) => {
      if (this.child !== child || !this.count(d.length)) return;
      const first = d.indexOf(10);
      const last = first < 0 ? -1 : d.lastIndexOf(10);
      // the line in progress before the chunk's first newline, or the whole chunk
      const head = first < 0 ? d.length : first;
      if (partialBytes + head > this.lineLimit) return overlong();
      if (first < 0) {
        partial.push(d);
        partialBytes += d.length;
        return;
      }
      const lines = [
        (partialBytes ? Buffer.concat([...partial, d.subarray(0, first)]) : d.subarray(0, first)).toString('utf8'),
      ].concat(last > first ? d.toString('utf8', first + 1, last).split('\n') : []);
      partial = last + 1 < d.length ? [d.subarray(last + 1)] : [];
      partialBytes = d.length - last - 1;
      for (const raw of lines) {
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (planLine) {
          planLine = false;
          const r = parseResponse(line);
          const plan = r?.id === 0 && r.ok ? parsePlan(r.value) : undefined;
          if (plan) {
            this.plan ??= plan;
            continue;
          }
        }
        const r = parseResponse(line);
        const waiter = r ? this.pending.get(r.id) : undefined;
        if (r && waiter) {
          this.pending.delete(r.id);
          waiter.resolve(r);
        } else this.keep(`[stdout] ${line.length > KEEP ? `${line.slice(0, KEEP)}...` : line}\n`);
        if (this.child !== child) return;
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      if (this.child === child && this.count(d.length)) this.keep(d.toString());
    });
    // events of a process already given up on (killed after a timeout) must not touch its successor
    child.on(
      'error',
      (err) => this.child === child && this.die(`could not start ${this.options.command}: ${err.message}`),
    );
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      // an init (the sandbox's namespaces) passes on the engine's death by signal N as exit code 128 + N
      if (launch.exitCodeIsSignal && signal === null && code !== null && code > 128)
        signal = signalName(code - 128) ?? null;
      // a kill by the kernel in the engine's memory cgroup (shared memory counted) is a memory breach too
      this.breach ??=
        this.sandbox.mode === 'none'
          ? undefined
          : this.jail.memoryBreached?.()
            ? 'memory'
            : breachIn(this.recent, signal);
      this.die(signal ? `killed by ${signal}` : `exited with code ${code}`);
    });
    child.stdin.on('error', () => {}); // a dead pipe surfaces through 'exit'
  }

  /** Counts output against the per-call limit; past it, the engine is ended and the call fails naming the limit. */
  private count(bytes: number): boolean {
    this.outBytes += bytes;
    if (this.outBytes <= this.sandbox.limits.outputBytes || this.sandbox.mode === 'none') return true;
    this.breach = 'output';
    this.stray = this.stray.slice(-KEEP);
    this.die(`wrote more than ${this.sandbox.limits.outputBytes} bytes`);
    return false;
  }

  private keep(text: string): void {
    this.stray = (this.stray + text).slice(-KEEP);
    this.recent = (this.recent + text).slice(-KEEP);
  }

  /** Ends the current process and all it started; pending calls fail as crashes (or named breaches). */
  private die(why: string): void {
    const child = this.child;
    if (child === undefined) return;
    this.exited = why;
    this.child = undefined;
    this.endProcess(child);
    for (const [, w] of this.pending) w.reject(new EngineFault('crash', '', why));
    this.pending.clear();
  }

  /**
   * Kills `child` and everything it started (setsid'd grandchildren too) and lets go of its pipes, which a
   * grandchild may still hold open: the suite must not wait for them.
   */
  private endProcess(child: ChildProcessWithoutNullStreams): void {
    const previous = this.ending;
    this.ending = previous.then(() => this.jail.kill(child.pid));
    child.stdin.destroy();
    child.stdout.destroy();
    child.stderr.destroy();
    child.unref();
    live.delete(this);
  }

  /** Synchronous last resort at the suite's exit. */
  private endAll(): void {
    const child = this.child;
    this.child = undefined;
    this.jail.disposeSync(child?.pid);
  }

  private takeOutput(): string | undefined {
    const out = this.stray.trim();
    this.stray = '';
    return out || undefined;
  }

  private limitFault(limit: LimitName, fn: string, detail: string): EngineFault {
    return new EngineFault(
      'limit',
      fn,
      `${describeBreach(limit, this.sandbox.limits, fn)} (${detail}); the engine was restarted`,
      this.takeOutput(),
    );
  }

  /**
   * The fault of a process that died during a call. One that died before its first answer never started: its own
   * first error (the exception and where) is the message, and no restart is claimed (a start-up failure is not
   * retried for this call); the whole output stays the fault's evidence.
   */
  private crashFault(e: EngineFault, fn: string, fresh: boolean): EngineFault {
    const output = this.takeOutput();
    const exited = this.exited ?? 'died';
    if (!fresh)
      return new EngineFault(e.kind, fn, `the engine process ${exited} during the call; it will be restarted`, output);
    const error = firstError(output ?? '');
    return new EngineFault(
      e.kind,
      fn,
      `the engine process ${exited} at start-up, before it answered${error ? `: ${error}` : ''}`,
      output,
    );
  }

  /** One request, unless `fn` hung or broke a limit before: then it fails at once with that first fault. */
  private async request(req: Omit<Request, 'id'>, fn: string): Promise<Value> {
    const first = this.hung.get(fn);
    if (first)
      throw new EngineFault(
        first.kind,
        fn,
        `not called again: it ${first.kind === 'timeout' ? 'hung' : 'broke a limit'} earlier in this run (first ${first.kind === 'timeout' ? 'timeout' : 'breach'}: ${first.message})`,
        first.output,
      );
    try {
      return await this.exchange(req, fn);
    } catch (err) {
      if (req.op === 'call' && err instanceof EngineFault && (err.kind === 'timeout' || err.kind === 'limit'))
        this.hung.set(fn, err);
      throw err;
    }
  }

  private async exchange(req: Omit<Request, 'id'>, fn: string): Promise<Value> {
    if (!this.child) {
      if (this.exited !== undefined) this.restarts++;
      await this.ending;
      if (!this.child) {
        this.start();
        // the start-up (interpreter, NumPy, the engine's file) is timed apart from the call: a hello first
        if (req.op !== 'hello') await this.exchange({ op: 'hello' }, fn);
      }
    }
    const child = this.child!;
    const id = this.nextId++;
    this.outBytes = 0;
    // a fresh process's first answer includes its start-up, which a busy machine can make take seconds
    const fresh = this.fresh;
    this.fresh = false;
    const timeoutMs = fresh
      ? Math.max(this.options.timeoutMs ?? 10_000, this.options.startTimeoutMs ?? START_TIMEOUT_MS)
      : (this.options.timeoutMs ?? 10_000);
    const response = await new Promise<Response>((resolve, reject) => {
      let cpuAtStart: number | undefined;
      const cpuLimit = this.sandbox.limits.cpuSecondsPerCall;
      // CPU is polled only while a call runs long, so that quick calls pay nothing for it
      const cpuTimer =
        this.sandbox.mode === 'none'
          ? undefined
          : setInterval(() => {
              const used = this.jail.cpuSeconds(child.pid);
              if (used === undefined) return;
              cpuAtStart ??= used;
              if (used - cpuAtStart > cpuLimit && this.child === child) {
                this.breach = 'cpu';
                this.die(`used more than ${cpuLimit} s of CPU`);
              }
            }, CPU_POLL_MS);
      const done = () => {
        clearTimeout(timer);
        if (cpuTimer) clearInterval(cpuTimer);
      };
      const timer = setTimeout(() => {
        done();
        this.pending.delete(id);
        // give the process up at once: the next call starts a fresh one
        if (this.child === child) {
          this.child = undefined;
          this.exited = 'timed out';
          this.endProcess(child);
        }
        reject(
          new EngineFault(
            'timeout',
            fn,
            `no answer within ${timeoutMs} ms${fresh ? ' of starting' : ''}; the engine was restarted`,
            this.takeOutput(),
          ),
        );
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (r) => {
          done();
          resolve(r);
        },
        reject: (e) => {
          done();
          const breach = this.breach;
          reject(
            this.overlong
              ? new EngineFault(
                  'limit',
                  fn,
                  `the engine's answer in ${fn} was longer than the protocol's line limit of ${formatSize(this.lineLimit)} (${this.lineLimit === this.sandbox.limits.outputBytes ? '--output-limit' : `at most ${formatSize(LINE_LIMIT)}, or --output-limit if lower`}); the engine was restarted`,
                  this.takeOutput(),
                )
              : breach
                ? this.limitFault(breach, fn, `the engine process ${this.exited ?? 'died'}`)
                : e instanceof EngineFault
                  ? this.crashFault(e, fn, fresh)
                  : e,
          );
        },
      });
      child.stdin.write(`${JSON.stringify({ id, ...req })}\n`);
    });
    if (!response.ok) {
      const e = response.error;
      const limit =
        this.sandbox.mode === 'none'
          ? undefined
          : this.jail.memoryBreached?.()
            ? 'memory'
            : breachIn(`${e.type}: ${e.message}`);
      if (limit) {
        // the process ran into a limit and may be left half-broken: start afresh
        if (this.child === child) this.die(`ran into the ${limit} limit`);
        throw this.limitFault(limit, fn, `${e.type}: ${e.message}`);
      }
      throw new EngineFault(
        e.type === 'NameError' && /defines no function/.test(e.message) ? 'missing' : 'exception',
        fn,
        `${e.type}: ${e.message}`,
        e.traceback ?? this.takeOutput(),
      );
    }
    if (this.options.planned) {
      if (req.op === 'call') {
        // the mutation check, made here: what was sent against the arguments' state after the call
        const changed = changedArguments(
          (req.args ?? []) as Wire[],
          (req.kwargs ?? {}) as Record<string, Wire>,
          response.after,
          this.plan?.functions[fn],
        );
        if (changed === undefined)
          throw new EngineFault(
            'protocol',
            fn,
            "the engine's answer does not carry the state of the arguments after the call",
            this.takeOutput(),
          );
        if (changed.length) this.notices.push({ kind: 'mutates-input', fn, paths: changed });
      }
    } else if (Array.isArray(response.mutated) && response.mutated.length)
      this.notices.push({ kind: 'mutates-input', fn, paths: response.mutated.map(String) });
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
      if (this.options.planned) return this.fromPlan(hello);
      const list = hello && typeof hello === 'object' && !Array.isArray(hello) ? (hello as Dict).functions : undefined;
      if (!Array.isArray(list)) throw new EngineFault('protocol', 'hello', 'the engine did not list its functions');
      this.fnNames = new Set(list.filter((x): x is string => typeof x === 'string'));
      const h = hello as Dict;
      if (typeof h.loadError === 'string') this.load.loadError = h.loadError;
      if (Array.isArray(h.dropped))
        this.load.dropped = h.dropped.map((d) => {
          const o = (d && typeof d === 'object' && !Array.isArray(d) ? d : {}) as Dict;
          return { where: String(o.where ?? ''), text: String(o.text ?? ''), why: String(o.why ?? '') };
        });
      if (h.broken && typeof h.broken === 'object' && !Array.isArray(h.broken))
        this.load.broken = Object.fromEntries(Object.entries(h.broken).map(([k, v]) => [k, String(v)]));
    }
    return this.fnNames;
  }

  /**
   * A planned runner's functions, dropped statements and broken definitions, from the plan it sent before the
   * engine's code ran; from the hello, only what loading itself showed (statements that raised, a load error).
   */
  private fromPlan(hello: Value): ReadonlySet<string> {
    const plan = this.plan;
    if (!plan) throw new EngineFault('protocol', 'hello', 'the engine sent no plan before loading its file');
    const h = (hello && typeof hello === 'object' && !Array.isArray(hello) ? hello : {}) as Dict;
    const raised = Array.isArray(h.raised) ? h.raised.slice(0, 1000).map(dropEntry) : [];
    const dropped = [...plan.dropped, ...raised.filter((d) => d.why.startsWith('raised '))]
      .sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1])
      .map(({ where, text, why }) => ({ where, text, why }));
    this.load = {
      dropped,
      broken: plan.broken,
      ...(plan.supplied ? { supplied: plan.supplied } : {}),
      ...(plan.modeReason ? { loadMode: { mode: 'notebook' as const, why: plan.modeReason } } : {}),
      ...(plan.testGlobals ? { testGlobals: withUnset(plan.testGlobals, h.unsetTestGlobals) } : {}),
      ...(plan.calls ? { calls: plan.calls } : {}),
    };
    const loadError = plan.loadError ?? (typeof h.loadError === 'string' ? str(h.loadError, 400) : undefined);
    if (loadError) this.load.loadError = loadError;
    // a file that did not load defines nothing (a plain module stops at its first error, as Python's import does)
    this.fnNames = new Set(loadError ? [] : Object.keys(plan.functions));
    return this.fnNames;
  }

  takeNotices(): EngineNotice[] {
    return this.notices.splice(0);
  }

  loadInfo(): LoadInfo {
    return this.load;
  }

  call(fn: string, args: readonly Value[], kwargs: Readonly<Dict> = {}): Promise<Value> {
    const wireKwargs: Request['kwargs'] = {};
    for (const [k, v] of Object.entries(kwargs)) wireKwargs[k] = encodeValue(v);
    return this.request({ op: 'call', fn, args: args.map(encodeValue), kwargs: wireKwargs }, fn);
  }

  async seed(seed: number): Promise<void> {
    await this.request({ op: 'seed', seed }, 'seed');
  }

  /**
   * Says bye, gives the process 2 s to exit, then ends it and everything it started and removes its scratch
   * directory. When this resolves no process of the engine is left (the reports are written after it).
   */
  async close(): Promise<void> {
    const child = this.child;
    if (child) {
      try {
        child.stdin.write(`${JSON.stringify({ id: this.nextId++, op: 'bye' })}\n`);
        child.stdin.end();
      } catch {
        /* already gone */
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 2000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
      this.child = undefined;
      this.endProcess(child);
    }
    await this.ending;
    await this.jail.dispose(child?.pid);
  }
}
