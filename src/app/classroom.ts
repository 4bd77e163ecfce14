import { useCallback, useEffect, useState } from 'react';

/** Keys typed into fields, and arrow keys on a sandbox handle, are not shortcuts. */
function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return Boolean(el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)));
}

/**
 * Classroom mode: the projector theme and large type (CSS on data-classroom), with the
 * controls hidden until the teacher presses C. → / Page Down and ← / Page Up (what presentation
 * clickers send) step through the story where there is one (the sandbox).
 */
export function useClassroom(on: boolean, onStory?: (delta: number) => void): { controlsHidden: boolean; toggleControls: () => void } {
  const [controlsHidden, setControlsHidden] = useState(true);
  const toggleControls = useCallback(() => setControlsHidden((h) => !h), []);
  useEffect(() => {
    if (on) setControlsHidden(true);
  }, [on]);
  useEffect(() => {
    const root = document.documentElement;
    root.dataset.classroom = on ? 'on' : 'off';
    root.dataset.controls = on && controlsHidden ? 'hidden' : 'shown';
  }, [on, controlsHidden]);
  useEffect(() => {
    if (!on) return;
    const key = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const onHandle = (e.target as HTMLElement | null)?.getAttribute?.('role') === 'slider';
      if (e.key === 'c' || e.key === 'C') toggleControls();
      else if (onStory && !onHandle && (e.key === 'ArrowRight' || e.key === 'PageDown')) onStory(1);
      else if (onStory && !onHandle && (e.key === 'ArrowLeft' || e.key === 'PageUp')) onStory(-1);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, [on, onStory, toggleControls]);
  return { controlsHidden, toggleControls };
}
