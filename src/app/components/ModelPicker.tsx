import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { CATALOG, FIXTURE_MODELS } from '../../encoders/catalog';
import type { FolderFile } from '../../worker/encoder.worker';
import { ModelOptions } from './ModelOptions';

interface Props {
  model: string;
  onChange: (model: string) => void;
  onFolder: (name: string, files: FolderFile[]) => Promise<string>;
  /** More controls for the same model (its dtype). */
  children?: ReactNode;
}

const CUSTOM = '__custom__';

/** Catalog, test models, GloVe, a custom hub id, or a local folder (picked or dropped). */
export function ModelPicker({ model, onChange, onFolder, children }: Props) {
  const id = useId();
  const known = new Set<string>(['glove', ...FIXTURE_MODELS, ...CATALOG.flatMap((f) => [f.backbone.id, ...f.children.map((c) => c.id)])]);
  const [custom, setCustom] = useState(known.has(model) ? '' : model);
  // The box follows the panel's model (a link, Back, or a picked folder), never a neighbour's.
  useEffect(() => setCustom(known.has(model) ? '' : model), [model]);
  const [folderError, setFolderError] = useState<string>();
  const [dragging, setDragging] = useState(false);
  const folderInput = useRef<HTMLInputElement>(null);
  const selected = known.has(model) ? model : CUSTOM;

  const useFiles = async (files: FolderFile[]) => {
    setFolderError(undefined);
    const name = files[0]?.path.split('/')[0] || 'folder';
    try {
      onChange(await onFolder(name, files));
    } catch (error) {
      setFolderError((error as Error).message);
    }
  };

  return (
    <div
      data-testid="model-picker" className={`model-picker${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
      onDragLeave={() => setDragging(false)}
      onDrop={async (e) => {
        e.preventDefault();
        setDragging(false);
        await useFiles(await droppedFiles(e.dataTransfer));
      }}
    >
      <label htmlFor={`${id}-model`}>Model</label>
      <select id={`${id}-model`} value={selected} onChange={(e) => (e.target.value === CUSTOM ? undefined : onChange(e.target.value))}>
        <ModelOptions />
        <option value={CUSTOM}>{selected === CUSTOM ? `custom: ${model}` : 'custom hub id or local folder…'}</option>
      </select>
      {children}
      <form className="custom-model" onSubmit={(e) => { e.preventDefault(); if (custom.trim()) onChange(custom.trim()); }}>
        <label htmlFor={`${id}-custom`} className="visually-hidden">Custom model id</label>
        <input id={`${id}-custom`} value={custom} placeholder="org/name (hub or /models/)" onChange={(e) => setCustom(e.target.value)} />
        <button type="submit">Load</button>
        <button type="button" onClick={() => folderInput.current?.click()} title="Pick a folder with config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx (or drop it here)">Folder…</button>
        <input
          ref={folderInput} type="file" hidden multiple
          {...{ webkitdirectory: '', directory: '' }}
          onChange={(e) => void useFiles(Array.from(e.target.files ?? [], (file) => ({ path: file.webkitRelativePath || file.name, file })))}
        />
      </form>
      {folderError && <p role="alert" className="error">{folderError}</p>}
    </div>
  );
}

/** Files of a dropped folder, with paths relative to it. */
async function droppedFiles(data: DataTransfer): Promise<FolderFile[]> {
  const out: FolderFile[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((ok, fail) => (entry as FileSystemFileEntry).file(ok, fail));
      out.push({ path: `${prefix}${entry.name}`, file });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      let batch: FileSystemEntry[];
      do {
        batch = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
        for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
      } while (batch.length);
    }
  };
  for (const item of Array.from(data.items)) {
    const entry = item.webkitGetAsEntry();
    if (entry) await walk(entry, '');
  }
  return out;
}
