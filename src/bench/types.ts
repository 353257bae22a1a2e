/** One benchmark row: what was timed, ours against a peer measured in the same run. */
export interface BenchRow {
  section: string;
  name: string;
  /** seconds per operation (or per stated unit) for our implementation */
  ours: number;
  /** the same for each peer measured in this run, e.g. { numpy: 0.012, 'tfjs-cpu': 0.05 } */
  peers: Record<string, number>;
  /** free-form figures, e.g. { 'GFLOP/s': 3.1, 'draws/s': 4.1e7 } */
  extra?: Record<string, number | string>;
  unit?: string;
}

export interface BenchSection {
  name: string;
  run(): Promise<BenchRow[]>;
}
