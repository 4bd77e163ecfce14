import { useState } from 'react';
import { parsePairList } from '../../corpus/pairs';
import { corpusLines, decodeCorpusBytes, fieldsOf, formatOf, parseCorpus, splitLines, type CorpusFormat } from '../../corpus/parse';
import { useWholeNumber } from '../components/whole-number';
import { formatCount, plural } from '../format';
import { SAMPLE_TEXTS } from '../../corpus/sample';
import { streamWiki1m, WIKI1M_HUB_URL, WIKI1M_LOCAL_URL } from '../../corpus/wiki1m';
import type { SourceResult, SourceSettings } from './plan';

interface Props {
  text: string;
  limit: number;
  /** How the box is read: one text per line, or a pair list. */
  kind: SourceSettings['kind'];
  /** What a run of the box would measure (or why nothing). */
  planned: SourceResult;
  onText: (text: string) => void;
  onLimit: (limit: number) => void;
  onKind: (kind: SourceSettings['kind']) => void;
}

const isPairList = (name: string) => /\.tsv$/i.test(name);

/**
 * Where the texts come from: paste, a file (.txt, .csv column, .jsonl field), the sample, or
 * wiki1m; or a pair list (pasted, or a .tsv file: two texts per line, tab-separated).
 */
export function CorpusSource({ text, limit, kind, planned, onText, onLimit, onKind }: Props) {
  const [file, setFile] = useState<{ name: string; content: string; format: CorpusFormat; fields: string[] }>();
  const [field, setField] = useState<string>();
  const [message, setMessage] = useState<{ kind: 'note' | 'error'; text: string }>();
  const [busy, setBusy] = useState(false);
  const count = corpusLines(text).length;
  const used = Math.min(count, limit);
  // The limit as typed: "5" on the way to "50" must not snap to anything.
  const limitField = useWholeNumber({ value: limit, min: 2, max: 100_000, onValue: onLimit });

  const useFile = (name: string, content: string, format: CorpusFormat, chosen?: string) => {
    try {
      const texts = parseCorpus(content, format, chosen);
      onKind('texts');
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
      onKind('texts');
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
        <button type="button" onClick={() => { onKind('texts'); onText(SAMPLE_TEXTS.join('\n')); setMessage({ kind: 'note', text: `${plural(SAMPLE_TEXTS.length, 'built-in sentence')}` }); }}>Built-in sample</button>
        <button type="button" onClick={() => void loadWiki()} disabled={busy}>{busy ? 'Loading…' : `Paper corpus (wiki1m), first ${limit}`}</button>
        <label>Use at most{' '}
          <input {...limitField.input} data-testid="corpus-limit" style={{ width: '6rem' }} aria-describedby={limitField.problem ? 'corpus-limit-problem' : undefined} />
          {' '}{kind === 'pairs' ? 'pairs' : 'texts'}
        </label>
        {limitField.problem && <span id="corpus-limit-problem" className="notice">{limitField.problem}</span>}
        <label className="file">File (.txt, .csv, .jsonl) or pair list (.tsv){' '}
          <input type="file" data-testid="corpus-file" accept=".txt,.csv,.jsonl,.ndjson,.tsv,text/plain,text/csv,text/tab-separated-values" onChange={async (e) => {
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
            if (isPairList(f.name)) {
              setFile(undefined);
              const lines = splitLines(content).join('\n');
              try {
                const { plan, texts } = parsePairList(lines);
                onKind('pairs');
                onText(lines.replace(/\n+$/, ''));
                setMessage({ kind: 'note', text: `${plural(plan.count, 'pair')} of ${plural(texts.length, 'distinct text')} from ${f.name}` });
              } catch (error) {
                setMessage({ kind: 'error', text: `${f.name} is not a pair list: ${(error as Error).message}. The box is unchanged.` });
              }
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
      <fieldset className="source-kind" data-testid="corpus-kind">
        <legend className="visually-hidden">Read the box as</legend>
        <label><input type="radio" name="corpus-kind" value="texts" checked={kind === 'texts'} onChange={() => { setMessage(undefined); onKind('texts'); }} /> one text per line (all pairs, or a sample)</label>
        <label><input type="radio" name="corpus-kind" value="pairs" checked={kind === 'pairs'} onChange={() => { setMessage(undefined); onKind('pairs'); }} /> a pair list: two texts per line, separated by a tab</label>
      </fieldset>
      <label htmlFor="corpus-texts" className="visually-hidden">{kind === 'pairs' ? 'Pairs, one per line: text A, a tab, text B' : 'Texts, one per line'}</label>
      <textarea
        id="corpus-texts" data-testid="corpus-texts" rows={6} value={text} onChange={(e) => onText(e.target.value)}
        placeholder={kind === 'pairs' ? 'One pair per line: text A, a tab, text B (paste two columns from a spreadsheet, or load a .tsv file)' : 'One text per line'}
      />
      {kind === 'texts' ? (
        <p className="muted" data-testid="corpus-count">
          {plural(count, 'text')}{count > limit ? `; the first ${formatCount(limit)} are used` : ''} · {plural((used * (used - 1)) / 2, 'pair')}
        </p>
      ) : planned.ok ? (
        <p className="muted" data-testid="corpus-count">
          {plural(planned.source.available, 'pair')}{planned.source.available > limit ? `; the first ${formatCount(limit)} are used` : ''} · {plural(planned.source.texts.length, 'distinct text')} to encode
        </p>
      ) : (
        <p className="error" role="alert" data-testid="corpus-pairs-problem">{text.trim() ? planned.message : 'Paste pairs (text A, a tab, text B on each line) or load a .tsv file.'}</p>
      )}
      {message && <p role={message.kind === 'error' ? 'alert' : 'status'} data-testid="corpus-message" className={message.kind === 'error' ? 'error' : 'muted'}>{message.text}</p>}
    </section>
  );
}
