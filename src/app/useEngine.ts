import { useCallback, useEffect, useState } from 'react';
import { createBrowserEngine } from '../engine/browser';
import { CpuSocmEngine } from '../engine/cpu';
import type { SocmEngine } from '../engine/types';

/**
 * The statistics engine: WebGPU where there is an adapter, else the CPU with the reason. When
 * the GPU device is lost, `fallBack` swaps in the CPU reference and keeps the reason visible.
 */
export function useEngine(): { engine?: SocmEngine; fallBack: (reason: string) => void } {
  const [engine, setEngine] = useState<SocmEngine>();
  useEffect(() => {
    let live = true;
    let started: SocmEngine | undefined;
    createBrowserEngine().then((e) => {
      started = e;
      if (live) setEngine(e);
      else e.dispose();
    });
    return () => {
      live = false;
      started?.dispose();
    };
  }, []);
  const fallBack = useCallback((reason: string) => {
    setEngine((current) => (current?.backend === 'cpu' ? current : new CpuSocmEngine(`CPU (float64 TypeScript reference), because ${reason}`)));
  }, []);
  return { engine, fallBack };
}
