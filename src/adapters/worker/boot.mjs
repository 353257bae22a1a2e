// The worker's first module, plain JavaScript: registers tsx's loader in this thread when the engine (or the
// worker's own code, run from the TypeScript sources) is TypeScript, then loads the worker (thread.ts/.js).
import { workerData } from 'node:worker_threads';

if (workerData.tsx) {
  const { register } = await import(workerData.tsx);
  register();
}
await import(workerData.thread);
