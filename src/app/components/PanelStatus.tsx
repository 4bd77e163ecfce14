import type { EncoderInfo } from '../../encoders/types';
import type { PanelStatus as Status } from '../usePanel';

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes >= 1e8 ? 0 : 1)} MB`;
}

const DEVICE = { webgpu: 'WebGPU', wasm: 'WASM', cpu: 'CPU' } as const;

/** A network problem (not a bad id or a broken file): GloVe needs no download. */
const OFFLINE = /could not reach|no network|Failed to fetch|NetworkError/i;

interface Props {
  status: Status;
  info?: EncoderInfo;
  model: string;
  /** Starts a download the panel is waiting on. */
  onConfirm: () => void;
  /** Switches the panel to GloVe (offered before a large download and when the network is out). */
  onGlove?: () => void;
}

/** Checking, waiting for a yes to a large download, loading (with a progress bar), working, ready (with the device and why), empty or error. */
export function PanelStatus({ status, info, model, onConfirm, onGlove, statsEngine }: Props & { statsEngine?: string }) {
  const common = { 'data-testid': 'status', 'data-phase': status.phase } as const;
  const glove = onGlove && <button type="button" data-testid="use-glove" onClick={onGlove}>Use GloVe instead (no download)</button>;
  switch (status.phase) {
    case 'checking':
      return <div {...common} role="status" className="status"><span className="spinner" aria-hidden="true" /> Checking {model}'s files…</div>;
    case 'confirm':
      return (
        <div {...common} role="status" className="status notice">
          <p>{model}'s weights are <strong data-testid="download-size" data-value={status.bytes}>{mb(status.bytes)}</strong> to download (once: this browser keeps them, so the next visit works offline).</p>
          <button type="button" data-testid="download" onClick={onConfirm}>Download {mb(status.bytes)}</button>{' '}{glove}
        </div>
      );
    case 'loading': {
      const p = status.progress;
      const fraction = p && p.total > 0 ? p.loaded / p.total : undefined;
      return (
        <div {...common} role="status" className="status">
          Loading model…{p?.file ? ` ${p.file}` : ''}{p && p.filesSeen ? ` (${p.filesDone}/${p.filesSeen} files${p.total ? `, ${mb(p.loaded)} of ${mb(p.total)}` : ''})` : ''}
          <progress max={1} value={fraction} aria-label="Model download" />
        </div>
      );
    }
    case 'working':
      return <div {...common} role="status" className="status"><span className="spinner" aria-hidden="true" /> {status.layerOnly ? 'Measuring at this layer…' : 'Encoding and measuring…'}</div>;
    case 'ready':
      return (
        <div {...common} role="status" className="status">
          Ready · {info ? `${info.kind === 'static' ? 'static vectors' : `encoder on ${DEVICE[info.device]}`}, width ${info.width}` : ''}
          {info?.route === 'weights' ? ` · built from its weights (${info.modelType}, ${info.storage}), ${info.layers} layers` : info?.route === 'onnx' ? ' · ONNX export (last layer only)' : ''}
          {info?.fallbackReason ? <span className="muted"> (not WebGPU: {info.fallbackReason})</span> : null}
          {statsEngine ? <><span className="visually-hidden">. </span><span className="muted" data-testid="stats-engine">Statistics on {statsEngine}</span></> : null}
        </div>
      );
    case 'empty':
      return <div {...common} role="status" className="status notice">{status.message}</div>;
    case 'error':
      return (
        <div {...common} role="alert" className="status error">
          Error: {status.message}
          {OFFLINE.test(status.message) && glove && <p>The network is out: {glove}</p>}
        </div>
      );
  }
}
