import { useState } from 'react';
import type { SaveStatus } from '../session-store';

/** Whether the session is saved in this browser, and a way to clear it (asked twice). */
export function SessionControls({ status, onClear }: { status: SaveStatus; onClear: () => Promise<void> }) {
  const [asking, setAsking] = useState(false);
  const [cleared, setCleared] = useState(false);
  const said = status.phase === 'error'
    ? `Not saved in this browser: ${status.message}`
    : status.phase === 'saving' ? 'Saving your session in this browser…' : cleared ? 'Saved session cleared.' : 'Your texts, panels and corpus runs are saved in this browser (never sent anywhere).';
  return (
    <div className="session-controls row">
      <span data-testid="session-saved" data-phase={status.phase} role="status" className={status.phase === 'error' ? 'error' : 'muted'}>{said}</span>
      {asking ? (
        <span role="group" aria-label="Clear the saved session?">
          Clear texts, panels and corpus runs?{' '}
          <button type="button" data-testid="session-clear-confirm" onClick={async () => { setAsking(false); await onClear(); setCleared(true); }}>Yes, clear</button>{' '}
          <button type="button" autoFocus onClick={() => setAsking(false)}>Keep</button>
        </span>
      ) : (
        <button type="button" data-testid="session-clear" onClick={() => { setCleared(false); setAsking(true); }}>Clear saved session…</button>
      )}
    </div>
  );
}
