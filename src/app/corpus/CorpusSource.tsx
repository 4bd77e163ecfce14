import { useState } from 'react';
import { fieldsOf, formatOf, parseCorpus, type CorpusFormat } from '../../corpus/parse';
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
  const count = text.split('\n').filter((l) => l.trim()).length;

  const useFile = (name: string, content: string, format: CorpusFormat, chosen?: string) => {
    try {
      const texts = parseCorpus(content, format, chosen);
      onText(texts.join('\n'));
      setMessage({ kind: 'note', text: `${texts.length} texts from ${name}${chosen ? ` (${format === 'csv' ? 'column' : 'field'} "${chosen}")` : ''}` });
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
      setMessage({ kind: 'note', text: `first ${lines.length} sentences of wiki1m for SimCSE (${source === WIKI1M_LOCAL_URL ? 'local copy' : 'Hugging Face Hub'})` });
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
        <button type="button" onClick={() => { onText(SAMPLE_TEXTS.join('\n')); setMessage({ kind: 'note', text: `${SAMPLE_TEXTS.length} built-in sentences` }); }}>Built-in sample</button>
        <button type="button" onClick={() => void loadWiki()} disabled={busy}>{busy ? 'Loading…' : `Paper corpus (wiki1m), first ${limit}`}</button>
        <label>Use at most{' '}
          <input type="number" min={2} max={100000} value={limit} data-testid="corpus-limit" onChange={(e) => onLimit(Math.max(2, Number(e.target.value) || 2))} style={{ width: '6rem' }} />{' '}texts
        </label>
        <label className="file">File (.txt, .csv, .jsonl){' '}
          <input type="file" accept=".txt,.csv,.jsonl,.ndjson,text/plain,text/csv" onChange={async (e) => {
            const f = e.target.files?.[0];
            if (!f) return;
            const content = await f.text();
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
        {count} texts{count > limit ? `; the first ${limit} are used` : ''} · {Math.min(count, limit) * (Math.min(count, limit) - 1) / 2} pairs
      </p>
      {message && <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'error' : 'muted'}>{message.text}</p>}
    </section>
  );
}
