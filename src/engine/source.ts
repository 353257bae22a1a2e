/** Where an engine came from (its file and the flag that loads it), so that a replay can target it. */
import type { Engine } from './engine.ts';

export interface EngineSource {
  flag: '--module' | '--python' | '--command';
  value: string;
  map?: Record<string, string>;
}

const SOURCES = new WeakMap<object, EngineSource>();

/** Records where an engine came from (adapters that know their file call this). */
export function registerEngineSource<T extends object>(engine: T, source: EngineSource): T {
  SOURCES.set(engine, source);
  return engine;
}

/** The source of an engine: registered, or read from the adapters' names (module:FILE, python:FILE, command:CMD). */
export function engineSource(engine: Engine): EngineSource | undefined {
  const known = SOURCES.get(engine);
  if (known) return known;
  const m = /^(module|python|command|worker):(.+)$/s.exec(engine.name);
  if (!m) return undefined;
  return { flag: m[1] === 'worker' ? '--module' : (`--${m[1]}` as EngineSource['flag']), value: m[2] };
}
