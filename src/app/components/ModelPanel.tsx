import { useCallback, useEffect, useState } from 'react';
import type { SocmEngine } from '../../engine/types';
import { whyNoLayers, type EncoderDtype } from '../../encoders/types';
import type { LayerStats } from '../../engine/layers';
import type { PairStats, Pooling } from '../../math';
import type { EncoderWorker } from '../../worker/client';
import { recordTiming } from '../perf';
import { readingProblems } from '../reading';
import { usePanel } from '../usePanel';
import { modelSpec, splitModelSpec, withLayer } from '../url-state';
import { AttentionView } from './AttentionView';
import { LayerStrip, type StripRanges } from './LayerStrip';
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
  /** The panel's every-layer statistics, so panels of one depth can share the strip's axes. */
  onLayers?: (index: number, layers: LayerStats[] | undefined) => void;
  stripRanges?: (depth: number) => StripRanges | undefined;
}

export function ModelPanel(props: Props) {
  const { index, worker, engine, texts, excludeSpecial, defaultDtype, dark, showEllipses, onModel, onRemove, onGpuLost, onStats, onLayers, stripRanges } = props;
  const { model, dtype, route, layer } = splitModelSpec(props.model, defaultDtype);
  const state = usePanel({ worker, engine, model, dtype, route, layer, a: texts.a, b: texts.b, excludeSpecial, onGpuLost });
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
  const layers = result ? state.layers : undefined;
  useEffect(() => onLayers?.(index, layers), [index, layers, onLayers]);
  const L = layers ? layers.length - 1 : undefined;
  // The slider follows the layer asked for at once (a second key press steps on from it), not the last one computed.
  const asked = L === undefined ? undefined : Math.max(0, Math.min(L, layer === undefined ? L : layer < 0 ? L + 1 + layer : layer));
  const [layerNote, setLayerNote] = useState<{ model: string; text: string }>();
  const chooseLayer = useCallback((k: number) => {
    setLayerNote(undefined);
    onModel(withLayer(props.model, k === L ? undefined : k));
  }, [onModel, props.model, L]);
  // A layer the model does not have (~99 of 0…3, or any layer of static vectors or an ONNX export):
  // the spec is put right, so heading, link and exports name the layer shown, and the panel says why.
  const ready = state.status.phase === 'ready' && Boolean(result);
  useEffect(() => {
    if (!ready || layer === undefined || !state.info) return;
    const depth = layers ? layers.length - 1 : undefined;
    if (depth === undefined) {
      setLayerNote({ model, text: `${model} has no inner layers (${whyNoLayers(state.info)}), so layer ${layer} is not there: showing its output.` });
      onModel(withLayer(props.model, undefined));
      return;
    }
    const k = layer < 0 ? depth + 1 + layer : layer;
    if (k < 0 || k > depth) {
      const shown = Math.max(0, Math.min(depth, k));
      setLayerNote({ model, text: `${model} has layers 0…${depth} (0 = embeddings), so there is no layer ${layer}: showing layer ${shown}.` });
      onModel(withLayer(props.model, shown === depth ? undefined : shown));
    }
  }, [ready, layer, layers, state.info, model, props.model, onModel]);
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
        {!isStatic && <DtypePicker worker={worker} model={model} dtype={route === 'onnx' && dtype === 'fp32' ? 'onnx' : dtype} onChange={(d) => onModel(modelSpec(model, d, defaultDtype))} />}
      </ModelPicker>
      {layerNote?.model === model && <p className="notice" role="note" data-testid="layer-note">{layerNote.text}</p>}
      <PanelStatus status={state.status} info={state.info} statsEngine={state.statsEngine} model={model} onConfirm={state.confirm} onGlove={model === 'glove' ? undefined : () => onModel('glove')} />
      {result && (
        <>
          {layers && asked !== undefined && (
            <LayerStrip layers={layers} layer={asked} onLayer={chooseLayer} dark={dark} ranges={stripRanges?.(layers.length - 1)} label={props.model} />
          )}
          <Metrics result={result} problems={problems} />
          <PcaPlot result={result} dark={dark} showEllipses={showEllipses} label={props.model} pooledShown={pooledShown} pooledNormalised={pooledNormalised} onRendered={rendered} />
          <PoolingTable result={result} shown={pooledShown} onShown={showPooling} normalised={pooledNormalised} onNormalised={setPooledNormalised} />
          {state.attention && state.info?.heads && state.layer !== undefined && (
            <AttentionView load={state.attention} texts={texts} layer={state.layer} heads={state.info.heads} dark={dark} />
          )}
          <Exports model={props.model} texts={texts} result={result} plot={plot} dark={dark} readable={readable} shown={layers && state.layer !== undefined ? { layer: state.layer, layers } : undefined} />
        </>
      )}
    </section>
  );
}
