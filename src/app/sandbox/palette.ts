/** Sandbox colours by theme, as literal values so an exported SVG/PNG looks like the page. */
export type SandboxTheme = 'light' | 'dark' | 'projector';

export interface Palette { bg: string; fg: string; muted: string; grid: string; a: string; b: string; accent: string }

export function sandboxPalette(theme: SandboxTheme): Palette {
  if (theme === 'projector') return { bg: '#000000', fg: '#ffffff', muted: '#d1d5db', grid: '#3f3f46', a: '#4cc9f0', b: '#ff9e00', accent: '#ffd60a' };
  if (theme === 'dark') return { bg: '#111827', fg: '#f3f4f6', muted: '#9ca3af', grid: '#374151', a: '#60a5fa', b: '#fb923c', accent: '#93c5fd' };
  return { bg: '#ffffff', fg: '#111827', muted: '#4b5563', grid: '#e5e7eb', a: '#1d4ed8', b: '#c2410c', accent: '#1d4ed8' };
}
