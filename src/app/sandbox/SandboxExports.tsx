import { useState } from 'react';
import { download } from '../download';
import type { Palette } from './palette';
import type { SandboxResult } from './useSandbox';

const rows = (m: SandboxResult['clouds']['a']) => Array.from({ length: m.n }, (_, i) => Array.from(m.data.subarray(i * m.d, (i + 1) * m.d)));

/** The clouds the engine measured and its numbers: {"a": rows, "b": rows, "d1", "d2", "socm", …}. */
export function sandboxJson(result: SandboxResult, backend: string): string {
  const { stats, params, clouds } = result;
  return JSON.stringify({
    a: rows(clouds.a), b: rows(clouds.b), d1: stats.d1, d2: stats.d2, socm: stats.socm, traceA: stats.traceA, traceB: stats.traceB,
    flags: stats.flags, backend, params,
  });
}

/** The plot with a title line, as a standalone SVG document. */
function plotSvg(svg: SVGSVGElement, result: SandboxResult, palette: Palette): string {
  const { d1, d2, socm } = result.stats;
  const title = `Poolscope sandbox, d = ${result.params.d}: d1 ${d1.toFixed(4)} · d2 ${d2.toFixed(4)} · SOCM ${socm.toFixed(4)}`;
  const { width: w, height: h } = svg.viewBox.baseVal;
  const inner = new XMLSerializer().serializeToString(svg).replace(/<svg[^>]*>/, `<svg x="0" y="44" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" xmlns="http://www.w3.org/2000/svg">`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h + 44}" viewBox="0 0 ${w} ${h + 44}" font-family="system-ui, sans-serif">` +
    `<rect width="${w}" height="${h + 44}" fill="${palette.bg}"/><text x="12" y="28" font-size="15" fill="${palette.fg}">${title}</text>${inner}</svg>`;
}

async function svgToPng(text: string, width: number, height: number): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise((resolve, reject) => {
      image.onload = resolve;
      image.onerror = () => reject(new Error('the plot could not be drawn as an image'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = 2 * width;
    canvas.height = 2 * height;
    canvas.getContext('2d')!.drawImage(image, 0, 0, 2 * width, 2 * height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function SandboxExports({ result, svg, palette, backend }: { result?: SandboxResult; svg?: SVGSVGElement | null; palette: Palette; backend: string }) {
  const ready = Boolean(result && svg);
  const [problem, setProblem] = useState<string>();
  const base = result ? `poolscope-sandbox-d${result.params.d}-seed${result.params.seed}` : 'poolscope-sandbox';
  return (
    <div className="exports" role="group" aria-label="Export">
      <span className="muted">Export:</span>
      <button type="button" disabled={!result} data-testid="export-json" onClick={() => result && download(`${base}.json`, 'application/json', sandboxJson(result, backend))}>JSON</button>
      <button type="button" disabled={!ready} data-testid="export-svg" onClick={() => result && svg && download(`${base}.svg`, 'image/svg+xml', plotSvg(svg, result, palette))}>SVG</button>
      <button
        type="button" disabled={!ready} data-testid="export-png"
        onClick={() => {
          if (!result || !svg) return;
          setProblem(undefined);
          svgToPng(plotSvg(svg, result, palette), svg.viewBox.baseVal.width, svg.viewBox.baseVal.height + 44)
            .then((png) => download(`${base}.png`, 'image/png', png), (e: Error) => setProblem(`PNG export failed: ${e.message}`));
        }}
      >PNG</button>
      {problem && <span className="error" role="alert">{problem}</span>}
    </div>
  );
}
