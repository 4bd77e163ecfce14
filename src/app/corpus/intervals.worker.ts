/// <reference lib="webworker" />
/**
 * Bootstrap intervals of a corpus run's means, off the main thread (about 2 s for all pairs of
 * 1,000 texts): a thin RPC layer over src/corpus/run.ts's summaryIntervals.
 */
import * as Comlink from 'comlink';
import type { BootstrapOptions } from '../../corpus/bootstrap';
import { summaryIntervals, type CorpusIntervals, type MeasuredPairs } from '../../corpus/run';

const api = {
  summaryIntervals(measured: MeasuredPairs, traces: Float64Array, withinCosine: Float64Array, options: BootstrapOptions): CorpusIntervals {
    return summaryIntervals(measured, traces, withinCosine, options);
  },
};

export type IntervalsApi = typeof api;

Comlink.expose(api);
