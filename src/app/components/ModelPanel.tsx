import { useCallback, useEffect, useState } from 'react';
import type { SocmEngine } from '../../engine/types';
import type { EncoderDtype } from '../../encoders/types';
import type { PairStats, Pooling } from '../../math';
import type { EncoderWorker } from '../../worker/client';
import { recordTiming } from '../perf';
import { readingProblems } from '../reading';
import { usePanel } from '../usePanel';
import { modelSpec, splitModelSpec } from '../url-state';
import { DtypePicker } from './DtypePicker';
import { Exports } from './Exports';
import { Metrics } from './Metrics';
import { ModelPicker } from './ModelPicker';
import { PanelStatus } from './PanelStatus';
import { PcaPlot } from './PcaPlot';
import { PoolingTable } from './PoolingTable';

interface Props {
  index: number;
  /** The panel's model, with its own `:dtype` when it has one. */
  model: string;
  worker?: EncoderWorker;
  engine?: SocmEngine;
  texts: { a: string; b: string };
  excludeSpecial: boolean;
  /** The dtype when the model names none. */
  defaultDtype: EncoderDtype;
  dark: boolean;
  showEllipses: boolean;
  onModel: (model: string) => void;
  onRemove?: () => void;
  onGpuLost: (reason: string) => void;
  /** The panel's numbers for the landscape; `readable` is false when the clouds are too small to read. */
  onStats: (index: number, stats: PairStats | undefined, readable: boolean) => void;
}

export function ModelPanel(props: Props) {
  const { index, worker, engine, texts, excludeSpecial, defaultDtype, dark, showEllipses, onModel, onRemove, onGpuLost, onStats } = props;
  const { model, dtype } = splitModelSpec(props.model, defaultDtype);
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
  const isStatic = state.info?.kind === 'static' || model === 'glove';
  const problems = result ? readingProblems(result.a, result.b, isStatic) : [];
  const stats = result?.stats;
  const readable = problems.length === 0;
  useEffect(() => onStats(index, stats, readable), [index, stats, readable, onStats]);
  return (
    <section data-testid={`panel-${index}`} className={`panel card${state.status.phase === 'working' ? ' stale' : ''}`} aria-label={`Panel ${index + 1}: ${props.model}`}>
      <header className="panel-head">
        <h2 tabIndex={-1}>{props.model}</h2>
        {onRemove && <button type="button" className="remove" onClick={onRemove} aria-label={`Remove panel ${props.model}`}>✕</button>}
      </header>
      <ModelPicker
        model={model} onChange={onModel}
        onFolder={(name, files) => worker ? worker.registerFolder(name, files, dtype) : Promise.reject(new Error('the encoder worker is not ready'))}
      >
        {!isStatic && <DtypePicker worker={worker} model={model} dtype={dtype} onChange={(d) => onModel(modelSpec(model, d, defaultDtype))} />}
      </ModelPicker>
      <PanelStatus status={state.status} info={state.info} />
      {result && (
        <>
          <Metrics result={result} problems={problems} />
          <PcaPlot result={result} dark={dark} showEllipses={showEllipses} label={props.model} pooledShown={pooledShown} pooledNormalised={pooledNormalised} onRendered={rendered} />
          <PoolingTable result={result} shown={pooledShown} onShown={showPooling} normalised={pooledNormalised} onNormalised={setPooledNormalised} />
          <Exports model={props.model} texts={texts} result={result} plot={plot} dark={dark} readable={readable} />
        </>
      )}
    </section>
  );
}
