/**
 * The working session in this browser's IndexedDB (texts, panels, options, the corpus box and
 * kept corpus runs), so a reload or a closed tab loses nothing. Nothing leaves the browser.
 */
import { useEffect, useRef, useState } from 'react';

const DB_NAME = 'poolscope';
const STORE = 'session';

export type SessionKey = 'view' | 'corpusText' | 'corpus';

let opening: Promise<IDBDatabase> | undefined;

function openDb(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('this browser has no IndexedDB'));
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB would not open'));
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
  opening.catch(() => { opening = undefined; });
  return opening;
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write was aborted (out of space?)'));
  });
}

/** This tab's corpus box as it was when the page was hidden, where the IndexedDB write may not have finished (a reload). */
const STASH = 'poolscope-unsaved-corpus-text';

/** How long the saved session may take to answer before the page starts without it. */
const LOAD_TIMEOUT_MS = 8000;

/**
 * Everything saved, by key (missing keys were never saved or were cleared), and the keys that this
 * tab had not finished saving when it was last hidden (taken from the stash: save them again).
 */
export async function loadSession(): Promise<Partial<Record<SessionKey, unknown>> & { unsaved?: SessionKey[] }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`IndexedDB did not answer in ${LOAD_TIMEOUT_MS / 1000} s`)), LOAD_TIMEOUT_MS);
  });
  try {
    const out: Partial<Record<SessionKey, unknown>> & { unsaved?: SessionKey[] } = await Promise.race([readSaved(), late]);
    const stashed = takeStash();
    if (stashed !== undefined) {
      out.corpusText = stashed;
      out.unsaved = ['corpusText'];
    }
    return out;
  } finally {
    clearTimeout(timer);
  }
}

function dropStash(): void {
  try {
    sessionStorage.removeItem(STASH);
  } catch {
    // No sessionStorage: nothing was stashed.
  }
}

function takeStash(): string | undefined {
  try {
    const text = sessionStorage.getItem(STASH) ?? undefined;
    sessionStorage.removeItem(STASH);
    return text;
  } catch {
    return undefined;
  }
}

async function readSaved(): Promise<Partial<Record<SessionKey, unknown>>> {
  const db = await openDb();
  const tx = db.transaction(STORE, 'readonly');
  const store = tx.objectStore(STORE);
  const out: Partial<Record<SessionKey, unknown>> = {};
  for (const key of ['view', 'corpusText', 'corpus'] as const) {
    store.get(key).onsuccess = (e) => {
      const value = (e.target as IDBRequest).result;
      if (value !== undefined) out[key] = value;
    };
  }
  await done(tx);
  return out;
}

/**
 * Writes one part. With `merge`, what is stored is read and merged in the same transaction (so
 * another tab's write in between is not lost: IndexedDB runs the two one after the other).
 */
export async function saveSessionPart(key: SessionKey, value: unknown, merge?: (stored: unknown, ours: unknown) => unknown): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(STORE, 'readwrite');
  const store = tx.objectStore(STORE);
  let failure: unknown;
  if (!merge) store.put(value, key);
  else {
    store.get(key).onsuccess = (e) => {
      try {
        store.put(merge((e.target as IDBRequest).result, value), key);
      } catch (error) {
        // The put's own error (a full disk: QuotaExceededError), not the abort's.
        failure = error;
        tx.abort();
      }
    };
  }
  try {
    await done(tx);
  } catch (error) {
    throw failure ?? error;
  }
}

export async function clearSession(): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(STORE, 'readwrite');
  tx.objectStore(STORE).clear();
  await done(tx);
}

export type SaveStatus = { phase: 'saving' } | { phase: 'saved'; at: number } | { phase: 'error'; message: string };

/**
 * Saves each part shortly after it last changed (the corpus runs, which change only when a run
 * ends, at once) and reports whether everything is saved.
 */
export function useSessionSaver(
  parts: Record<SessionKey, unknown>, enabled: boolean, pack: Partial<Record<SessionKey, (v: unknown) => unknown>> = {}, unsaved: readonly SessionKey[] = [],
  merge: Partial<Record<SessionKey, (stored: unknown, ours: unknown) => unknown>> = {},
): SaveStatus {
  const [status, setStatus] = useState<SaveStatus>({ phase: 'saved', at: 0 });
  const pending = useRef(new Set<SessionKey>());
  const last = useRef<Partial<Record<SessionKey, unknown>>>({});
  const { view, corpusText, corpus } = parts;
  const packRef = useRef(pack);
  packRef.current = pack;
  const mergeRef = useRef(merge);
  mergeRef.current = merge;

  const primed = useRef(false);

  // Parts being written now: "saved" waits for every write in flight, not only this flush's.
  const writing = useRef(new Set<SessionKey>());
  const inFlight = useRef(0);
  const flush = useRef(async () => {
    const keys = [...pending.current];
    pending.current.clear();
    inFlight.current++;
    try {
      for (const [i, k] of keys.entries()) {
        writing.current.add(k);
        try {
          const value = last.current[k];
          const packer = packRef.current[k];
          await saveSessionPart(k, packer ? packer(value) : value, mergeRef.current[k]);
          // Saved for good: a stash from a page hide must not come back over it later.
          if (k === 'corpusText') dropStash();
        } catch (error) {
          // What was not written stays pending (the next change tries it again), and so does the error:
          // "saved" is said only once every part is.
          for (const rest of keys.slice(i)) pending.current.add(rest);
          setStatus({ phase: 'error', message: (error as Error).message });
          return;
        } finally {
          writing.current.delete(k);
        }
      }
    } finally {
      inFlight.current--;
    }
    if (!pending.current.size && !inFlight.current) setStatus({ phase: 'saved', at: Date.now() });
  });

  // Where IndexedDB will not open at all (a private window, say), say so from the start.
  useEffect(() => {
    if (enabled) openDb().catch((error: Error) => setStatus({ phase: 'error', message: error.message }));
  }, [enabled]);

  // A closing tab: write what is pending now (IndexedDB usually finishes it; on a reload it may
  // not, so the corpus box also goes to this tab's sessionStorage, read back by loadSession).
  useEffect(() => {
    const onHide = () => {
      if (!pending.current.size && !writing.current.size) return;
      if (pending.current.has('corpusText') || writing.current.has('corpusText')) {
        try {
          sessionStorage.setItem(STASH, String(last.current.corpusText ?? ''));
        } catch {
          // Too large for sessionStorage: IndexedDB's write is all there is.
        }
      }
      void flush.current();
    };
    addEventListener('pagehide', onHide);
    return () => removeEventListener('pagehide', onHide);
  }, []);

  useEffect(() => {
    if (!enabled) return;
    if (!primed.current) {
      // What was just restored is what is saved (but for what the last visit had not finished saving).
      primed.current = true;
      last.current = { ...parts };
      for (const k of unsaved) delete last.current[k];
      if (!unsaved.length) return;
    }
    const changed = (['view', 'corpusText', 'corpus'] as const).filter((k) => last.current[k] !== parts[k]);
    if (!changed.length) return;
    for (const k of changed) {
      last.current[k] = parts[k];
      pending.current.add(k);
    }
    setStatus({ phase: 'saving' });
    const timer = setTimeout(() => void flush.current(), changed.includes('corpus') ? 0 : 400);
    return () => clearTimeout(timer);
  }, [view, corpusText, corpus, enabled]);
  // A change drawn but not yet registered (the effect above runs after the paint) is not "saved".
  const dirty = enabled && primed.current && (['view', 'corpusText', 'corpus'] as const).some((k) => last.current[k] !== parts[k]);
  return dirty && status.phase === 'saved' ? { phase: 'saving' } : status;
}
