import { useEffect, useState } from 'react';
import { createBrowserEngine } from '../engine/browser';
import type { SocmEngine } from '../engine/types';

export type EngineState = { status: 'starting' } | { status: 'ready'; engine: SocmEngine } | { status: 'error'; message: string };

/** Starts the statistics engine once: WebGPU where there is an adapter, else the CPU with the reason. */
export function useEngine(): EngineState {
  const [state, setState] = useState<EngineState>({ status: 'starting' });
  useEffect(() => {
    let live = true;
    let started: SocmEngine | undefined;
    createBrowserEngine().then(
      (engine) => {
        started = engine;
        if (live) setState({ status: 'ready', engine });
        else engine.dispose();
      },
      (error: unknown) => live && setState({ status: 'error', message: (error as Error).message }),
    );
    return () => {
      live = false;
      started?.dispose();
    };
  }, []);
  return state;
}
