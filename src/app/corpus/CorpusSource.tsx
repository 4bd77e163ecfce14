import { useEffect, useState } from 'react';
import { corpusLines, decodeCorpusBytes, fieldsOf, formatOf, parseCorpus, type CorpusFormat } from '../../corpus/parse';
import { formatCount, plural } from '../format';
import { SAMPLE_TEXTS } from '../../corpus/sample';
import { streamWiki1m, WIKI1M_HUB_URL, WIKI1M_LOCAL_URL } from '../../corpus/wiki1m';

interface Props {
  text: string;
  limit: number;
  onText: (text: string) => void;
  onLimit: (limit: number) => void;
}

/** Where the texts come from: paste, a file (.txt, .csv column, .jsonl field), the sample, or wiki1m. */
export function CorpusSource({ text, limit, onText, onLimit }: Props) {
  const [file, setFile] = useState<{ name: string; content: string; format: CorpusFormat; fields: string[] }>();
  const [field, setField] = useState<string>();
  const [message, setMessage] = useState<{ kind: 'note' | 'error'; text: string }>();
  const [busy, setBusy] = useState(false);
  const count = corpusLines(text).length;
  const used = Math.min(count, limit);
  // The limit as typed: "5" on the way to "50" must not snap to anything.
  const [limitDraft, setLimitDraft] = useState(String(limit));
  useEffect(() => setLimitDraft(String(limit)), [limit]);
  const limitValid = /^\d+$/.test(limitDraft) && Number(limitDraft) >= 2 && Number(limitDraft) <= 100_000;

  const useFile = (name: string, content: string, format: CorpusFormat, chosen?: string) => {
    try {
      const texts = parseCorpus(content, format, chosen);
      onText(texts.join('\n'));
      setMessage({ kind: 'note', text: `${plural(texts.length, 'text')} from ${name}${chosen ? ` (${format === 'csv' ? 'column' : 'field'} "${chosen}")` : ''}` });
    } catch (error) {
      setMessage({ kind: 'error', text: `${name}: ${(error as Error).message}` });
    }
  };

  const loadWiki = async () => {
    setBusy(true);
    setMessage(undefined);
    try {
      let source = WIKI1M_LOCAL_URL;
      if (!(await fetch(WIKI1M_LOCAL_URL, { method: 'HEAD' })).ok) source = WIKI1M_HUB_URL;
      const lines = await streamWiki1m(limit, source);
      onText(lines.join('\n'));
      setMessage({ kind: 'note', text: `first ${plural(lines.length, 'sentence')} of wiki1m for SimCSE (${source === WIKI1M_LOCAL_URL ? 'local copy' : 'Hugging Face Hub'})` });
    } catch (error) {
      setMessage({ kind: 'error', text: `wiki1m could not be loaded: ${(error as Error).message}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card corpus-source" aria-labelledby="corpus-source-title">
      <h2 id="corpus-source-title">Texts</h2>
      <div className="row">
        <button type="button" onClick={() => { onText(SAMPLE_TEXTS.join('\n')); setMessage({ kind: 'note', text: `${plural(SAMPLE_TEXTS.length, 'built-in sentence')}` }); }}>Built-in sample</button>
        <button type="button" onClick={() => void loadWiki()} disabled={busy}>{busy ? 'Loading…' : `Paper corpus (wiki1m), first ${limit}`}</button>
        <label>Use at most{' '}
          <input
            type="number" min={2} max={100000} value={limitDraft} data-testid="corpus-limit" style={{ width: '6rem' }}
            aria-invalid={!limitValid} aria-describedby={limitValid ? undefined : 'corpus-limit-problem'}
            onChange={(e) => {
              setLimitDraft(e.target.value);
              const n = Number(e.target.value);
              if (/^\d+$/.test(e.target.value) && n >= 2 && n <= 100_000) onLimit(n);
            }}
            onBlur={() => setLimitDraft(String(limit))}
          />{' '}texts
        </label>
        {!limitValid && <span id="corpus-limit-problem" className="notice">a whole number from 2 to 100,000 (still using {formatCount(limit)})</span>}
        <label className="file">File (.txt, .csv, .jsonl){' '}
          <input type="file" data-testid="corpus-file" accept=".txt,.csv,.jsonl,.ndjson,text/plain,text/csv" onChange={async (e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (!f) return;
            let content: string;
            try {
              content = decodeCorpusBytes(new Uint8Array(await f.arrayBuffer()), f.name);
            } catch (error) {
              setFile(undefined);
              setMessage({ kind: 'error', text: `${(error as Error).message}. The texts in the box are unchanged.` });
              return;
            }
            const format = formatOf(f.name);
            const fields = fieldsOf(content, format);
            setFile({ name: f.name, content, format, fields });
            setField(fields[0]);
            useFile(f.name, content, format, fields[0]);
          }} />
        </label>
        {file && file.fields.length > 0 && (
          <label>{file.format === 'csv' ? 'column' : 'field'}{' '}
            <select value={field} onChange={(e) => { setField(e.target.value); useFile(file.name, file.content, file.format, e.target.value); }}>
              {file.fields.map((f) => <option key={f} value={f}>{f}</option>)}
            </select>
          </label>
        )}
      </div>
      <label htmlFor="corpus-texts" className="visually-hidden">Texts, one per line</label>
      <textarea id="corpus-texts" data-testid="corpus-texts" rows={6} value={text} placeholder="One text per line" onChange={(e) => onText(e.target.value)} />
      <p className="muted" data-testid="corpus-count">
        {plural(count, 'text')}{count > limit ? `; the first ${formatCount(limit)} are used` : ''} · {plural((used * (used - 1)) / 2, 'pair')}
      </p>
      {message && <p role={message.kind === 'error' ? 'alert' : 'status'} data-testid="corpus-message" className={message.kind === 'error' ? 'error' : 'muted'}>{message.text}</p>}
    </section>
  );
}
