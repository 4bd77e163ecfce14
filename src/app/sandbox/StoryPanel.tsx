import { applyScene, STORY, type SandboxParams } from '../../sandbox';

interface Props {
  /** The sandbox as shown: the caption is checked against it. */
  params: SandboxParams;
  scene?: number;
  onScene: (k: number | undefined) => void;
}

/** The paper's Figure 1 and Figure 2 story, one scene at a time (← → or Page Up / Page Down in classroom mode). */
export function StoryPanel({ params, scene, onScene }: Props) {
  const k = scene ?? -1;
  const s = STORY[k];
  return (
    <section className="story card" aria-labelledby="story-title" data-testid="story">
      <div className="story-head">
        <h3 id="story-title">{s ? `${s.figure}: ${s.title}` : 'The paper’s story (Figures 1 and 2)'}</h3>
        <div className="row" role="group" aria-label="Story scenes">
          <button type="button" onClick={() => onScene(k - 1)} disabled={k <= 0} data-testid="story-prev">← Back</button>
          <span className="muted" data-testid="story-position">{s ? `${k + 1} / ${STORY.length}` : `${STORY.length} scenes`}</span>
          <button type="button" onClick={() => onScene(k + 1)} disabled={k >= STORY.length - 1} data-testid="story-next">{s ? 'Next →' : 'Start →'}</button>
          {s && <button type="button" onClick={() => onScene(undefined)}>Close</button>}
        </div>
      </div>
      {s && <p className="story-caption" data-testid="story-caption">{s.caption}</p>}
      {s && !showsScene(params, k) && (
        <p className="notice" role="note" data-testid="story-moved">
          The clouds are not as this scene sets them (moved, or set by the link), so the caption may not describe them.{' '}
          <button type="button" onClick={() => onScene(k)}>Set the scene again</button>
        </p>
      )}
    </section>
  );
}

/** Whether the sandbox shows scene k as applyScene sets it (token counts, d and seed aside). */
function showsScene(params: SandboxParams, k: number): boolean {
  const set = applyScene(params, k);
  const same = (x: SandboxParams['a'], y: SandboxParams['a']) => x.angle === y.angle && x.var1 === y.var1 && x.var2 === y.var2 && x.axis === y.axis && x.off === y.off;
  return params.moments === set.moments && same(params.a, set.a) && same(params.b, set.b);
}
