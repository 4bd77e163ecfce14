/**
 * The paper's corpus (wiki1m for SimCSE), streamed: an HTTP range request for the head of
 * the file, read line by line until `limit` sentences. Served locally first when the app has
 * it under /corpus/ (tests; offline use), else from the hub.
 */
export const WIKI1M_HUB_URL = 'https://huggingface.co/datasets/princeton-nlp/datasets-for-simcse/resolve/main/wiki1m_for_simcse.txt';
export const WIKI1M_LOCAL_URL = '/corpus/wiki1m_for_simcse.txt';
/** Sentences average ~130 bytes; ask for a little more than `limit` needs. */
const BYTES_PER_LINE = 400;

export async function streamWiki1m(limit: number, url: string, fetchImpl: typeof fetch = fetch, signal?: AbortSignal): Promise<string[]> {
  const response = await fetchImpl(url, { headers: { Range: `bytes=0-${limit * BYTES_PER_LINE - 1}` }, signal });
  if (!response.ok) throw new Error(`could not fetch ${url}: HTTP ${response.status}`);
  const lines: string[] = [];
  const reader = response.body?.getReader();
  if (!reader) return (await response.text()).split(/\r?\n/).filter((l) => l.trim()).slice(0, limit);
  const decoder = new TextDecoder();
  let rest = '';
  while (lines.length < limit) {
    const { done, value } = await reader.read();
    rest += done ? decoder.decode() : decoder.decode(value, { stream: true });
    const parts = rest.split(/\r?\n/);
    // Keep the unfinished last line for the next chunk; at the end of a partial (206) response
    // it was cut by the range, so it is dropped, not returned half.
    const tail = parts.pop() ?? '';
    rest = done ? '' : tail;
    if (done && response.status !== 206) parts.push(tail);
    for (const p of parts) if (p.trim() && lines.length < limit) lines.push(p.trim());
    if (done) break;
  }
  await reader.cancel().catch(() => undefined);
  return lines;
}
