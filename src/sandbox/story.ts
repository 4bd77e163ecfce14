/**
 * The paper's Figure 1 and Figure 2 story as sandbox scenes a teacher clicks through: when
 * mean pooling collapses a difference (means alike, clouds different) and when it does not
 * (means apart; or means and clouds alike), then what backbones and fine-tuned encoders do.
 */
import type { CloudParams } from './clouds';
import type { SandboxParams } from './params';

export interface Scene {
  title: string;
  /** The figure this scene retells. */
  figure: string;
  caption: string;
  /** Mean direction, var1, var2, axis direction for A and B (off-plane spread 0). */
  a: [number, number, number, number];
  b: [number, number, number, number];
}

export const STORY: Scene[] = [
  {
    title: 'Two texts, two token clouds',
    figure: 'Figure 1 (top)',
    caption: 'Each text is a cloud of token vectors. Mean pooling keeps one point of each cloud, its mean (the star). Here the stars coincide, the clouds do not: after mean pooling the two texts look the same.',
    a: [45, 1.9, 0.02, 135], b: [45, 1.9, 0.02, 45],
  },
  {
    title: 'Collapse arises',
    figure: 'Figure 2 (left)',
    caption: 'First-order statistics alike (d1 small), second-order different (d2 large): distinct clouds collapse into nearly the same mean-pooled vector. SOCM = (1 − d1)·d2 is high.',
    a: [40, 1.8, 0.05, 0], b: [50, 1.8, 0.05, 90],
  },
  {
    title: 'No collapse: the means differ',
    figure: 'Figure 2 (middle)',
    caption: 'The same two shapes, means far apart: mean pooling already tells the texts apart. d1 is large, so SOCM is low however different the clouds are.',
    a: [0, 1.8, 0.05, 0], b: [150, 1.8, 0.05, 90],
  },
  {
    title: 'No collapse: means and clouds alike',
    figure: 'Figure 2 (right)',
    caption: 'Means close and clouds alike: the distributions really are similar, and their means say so. d2 is small, so SOCM is low.',
    a: [40, 0.3, 0.1, 30], b: [50, 0.3, 0.1, 30],
  },
  {
    title: 'A backbone (BERT in the paper)',
    figure: 'Figure 1 (bottom left)',
    caption: 'For the pretrained backbone the two unrelated sentences of Figure 1 had means close together and clouds of different spread: high SOCM.',
    a: [42, 0.9, 0.5, 60], b: [48, 0.12, 0.08, 150],
  },
  {
    title: 'A fine-tuned encoder (GTE in the paper)',
    figure: 'Figure 1 (bottom right)',
    caption: 'After contrastive fine-tuning the tokens of each text concentrate around their mean and the means move apart: d2 is bounded by the small spread (Theorem 2) and SOCM is low.',
    a: [20, 0.02, 0.01, 0], b: [80, 0.02, 0.01, 90],
  },
];

const scene = (c: CloudParams, [angle, var1, var2, axis]: Scene['a']): CloudParams => ({ ...c, angle, var1, var2, axis, off: 0 });

/** The sandbox showing scene k (token counts, d and seed are kept). */
export function applyScene(s: SandboxParams, k: number): SandboxParams {
  const sc = STORY[Math.min(STORY.length - 1, Math.max(0, k))];
  return { ...s, moments: 'exact', a: scene(s.a, sc.a), b: scene(s.b, sc.b), story: Math.min(STORY.length - 1, Math.max(0, k)), step: undefined };
}
