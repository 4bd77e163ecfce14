import { useCallback, useEffect, useState } from 'react';
import type { SocmEngine } from '../../engine/types';
import type { EncoderDtype } from '../../encoders/types';
import type { PairStats, Pooling } from '../../math';
import type { EncoderWorker } from '../../worker/client';
import { recordTiming } from '../perf';
import { usePanel } from '../usePanel';
import { Exports } from './Exports';
import { Metrics } from './Metrics';
import { ModelPicker } from './ModelPicker';
import { PanelStatus } from './PanelStatus';
import { PcaPlot } from './PcaPlot';
import { PoolingTable } from './PoolingTable';

interface Props {
  index: number;
  model: string;
  worker?: EncoderWorker;
  engine?: SocmEngine;
  texts: { a: string; b: string };
  excludeSpecial: boolean;
  dtype: EncoderDtype;
  dark: boolean;
  showEllipses: boolean;
  onModel: (model: string) => void;
  onRemove?: () => void;
  onGpuLost: (reason: string) => void;
  onStats: (index: number, stats: PairStats | undefined) => void;
}

export function ModelPanel(props: Props) {
  const { index, model, worker, engine, texts, excludeSpecial, dtype, dark, showEllipses, onModel, onRemove, onGpuLost, onStats } = props;
  const state = usePanel({ worker, engine, model, dtype, a: texts.a, b: texts.b, excludeSpecial, onGpuLost });
  const [plot, setPlot] = useState<HTMLDivElement>();
  const result = state.status.phase === 'error' || state.status.phase === 'empty' ? undefined : state.result;
  const rendered = useCallback((ms: number, element: HTMLDivElement) => {
    setPlot(element);
    if (state.result) recordTiming({ panel: index, model, ...state.result.timings, renderMs: ms, at: performance.now() });
  }, [index, model, state.result]);
  const [pooledShown, setPooledShown] = useState<ReadonlySet<Pooling>>(() => new Set(['mean', 'cls', 'max', 'last', 'weighted']));
  const [pooledNormalised, setPooledNormalised] = useState(false);
  const showPooling = useCallback((p: Pooling, show: boolean) => setPooledShown((s) => {
    const next = new Set(s);
    if (show) next.add(p);
    else next.delete(p);
    return next;
  }), []);
  const stats = result?.stats;
  useEffect(() => onStats(index, stats), [index, stats, onStats]);
  return (
    <section data-testid={`panel-${index}`} className={`panel card${state.status.phase === 'working' ? ' stale' : ''}`} aria-labelledby={`panel-${index}-title`}>
      <header className="panel-head">
        <h2 id={`panel-${index}-title`}>{model}</h2>
        {onRemove && <button type="button" className="remove" onClick={onRemove} aria-label={`Remove panel ${model}`}>✕</button>}
      </header>
      <ModelPicker model={model} onChange={onModel} onFolder={(name, files) => worker ? worker.registerFolder(name, files, dtype) : Promise.reject(new Error('the encoder worker is not ready'))} />
      <PanelStatus status={state.status} info={state.info} />
      {result && (
        <>
          <Metrics result={result} />
          <PcaPlot result={result} dark={dark} showEllipses={showEllipses} label={model} pooledShown={pooledShown} pooledNormalised={pooledNormalised} onRendered={rendered} />
          <PoolingTable result={result} shown={pooledShown} onShown={showPooling} normalised={pooledNormalised} onNormalised={setPooledNormalised} />
          <Exports model={model} texts={texts} result={result} plot={plot} />
        </>
      )}
    </section>
  );
}
