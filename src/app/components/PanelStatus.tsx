import type { EncoderInfo } from '../../encoders/types';
import type { PanelStatus as Status } from '../usePanel';

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

const DEVICE = { webgpu: 'WebGPU', wasm: 'WASM', cpu: 'CPU' } as const;

/** Loading (with a progress bar), working, ready (with the device and why), empty or error. */
export function PanelStatus({ status, info }: { status: Status; info?: EncoderInfo }) {
  const common = { 'data-testid': 'status', 'data-phase': status.phase } as const;
  switch (status.phase) {
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
      return <div {...common} role="status" className="status"><span className="spinner" aria-hidden="true" /> Encoding and measuring…</div>;
    case 'ready':
      return (
        <div {...common} role="status" className="status">
          Ready · {info ? `${info.kind === 'static' ? 'static vectors' : `encoder on ${DEVICE[info.device]}`}, width ${info.width}` : ''}
          {info?.fallbackReason ? <span className="muted"> (not WebGPU: {info.fallbackReason})</span> : null}
        </div>
      );
    case 'empty':
      return <div {...common} role="status" className="status notice">{status.message}</div>;
    case 'error':
      return <div {...common} role="alert" className="status error">Error: {status.message}</div>;
  }
}
