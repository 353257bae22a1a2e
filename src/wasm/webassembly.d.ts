// The part of the WebAssembly JS API the kernels use. TypeScript declares it only in its DOM libraries, which a
// Node program should not pull in; Node 20 provides all of it.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: ArrayBufferView | ArrayBuffer);
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
    grow(pages: number): number;
  }
  type ExportValue = ((...args: number[]) => number | undefined) | Memory;
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, ExportValue>;
  }
  function validate(bytes: ArrayBufferView | ArrayBuffer): boolean;
}
