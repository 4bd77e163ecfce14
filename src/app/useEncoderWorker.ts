import { useEffect, useState } from 'react';
import { startEncoderWorker, type EncoderWorker } from '../worker/client';

/** One encoder worker for the page. */
export function useEncoderWorker(): EncoderWorker | undefined {
  const [worker, setWorker] = useState<EncoderWorker>();
  useEffect(() => {
    const started = startEncoderWorker();
    setWorker(() => started.api);
    return () => started.terminate();
  }, []);
  return worker;
}
