/** Corpus input is checked before anything runs: binary files, lone carriage returns, duplicates, large runs, the limit field. */
import { describe, expect, it } from 'vitest';
import { builtApp, closePage, corpusFileInput, freshPage, loadCorpusFile, q } from './helpers';

const app = builtApp();

describe('corpus input checks', () => {
  it('refuses binary files with a message, counts a CR-only file line by line, and the limit field takes what is typed', async () => {
    const page = await freshPage(app.browser, `${app.url}${q({ view: 'corpus', cmodels: 'glove', climit: '100' })}`);
    const box = page.getByTestId('corpus-texts');
    const file = corpusFileInput(page);
    const message = page.locator('.corpus-source p[role]');
    await box.fill('kept line one\nkept line two');

    // A zip (binary, with NUL bytes), and Latin-1 bytes that are not UTF-8.
    await file.setInputFiles({ name: 'archive.txt', mimeType: 'text/plain', buffer: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x61, 0x0a, 0x62]) });
    await expect.poll(() => message.textContent()).toMatch(/^archive\.txt is not a text file: it has a NUL byte at byte 6 .*The texts in the box are unchanged\.$/);
    expect(await message.getAttribute('role')).toBe('alert');
    expect(await box.inputValue()).toBe('kept line one\nkept line two');
    await file.setInputFiles({ name: 'latin1.txt', mimeType: 'text/plain', buffer: Buffer.from('caf\xe9 au lait\nna\xefve\n', 'latin1') });
    await expect.poll(() => message.textContent()).toMatch(/^latin1\.txt is not UTF-8 text \(byte 4 is not valid UTF-8\)/);
    expect(await box.inputValue()).toBe('kept line one\nkept line two');

    // Old-Mac line ends (\r only): as many texts as lines shown.
    const lines = Array.from({ length: 21 }, (_, i) => `line ${i} of a file saved with carriage returns only`);
    await file.setInputFiles({ name: 'mac.txt', mimeType: 'text/plain', buffer: Buffer.from(lines.join('\r')) });
    await expect.poll(() => page.getByTestId('corpus-count').textContent()).toMatch(/^21 texts · 210 pairs/);
    expect((await box.inputValue()).split('\n')).toEqual(lines);
    expect(await message.textContent()).toBe('21 texts from mac.txt');

    // Typing 50 into "use at most" gives 50 (it used to snap to 2 on the way).
    const limit = page.getByTestId('corpus-limit');
    await limit.fill('');
    await limit.pressSequentially('50');
    await expect.poll(() => new URL(page.url()).searchParams.get('climit')).toBe('50');
    expect(await limit.inputValue()).toBe('50');
    await closePage(page);
  });

  it('warns about 2,000 duplicate lines and offers to drop them; a large run shows its estimated time before it starts', async () => {
    const page = await freshPage(app.browser, `${app.url}${q({ view: 'corpus', cmodels: 'glove', climit: '5000' })}`);
    await loadCorpusFile(page, Array.from({ length: 2000 }, () => 'the same sentence about the city'));
    const warning = page.getByTestId('corpus-duplicates');
    await expect.poll(() => warning.textContent()).toMatch(/1,999 of 2,000 texts repeat an earlier one \(1 distinct\)/);
    const run = page.getByTestId('corpus-run');
    expect(await run.textContent()).toBe('Run all 1,999,000 pairs');

    // Run asks first, with an estimate; nothing starts until the user says so.
    await run.click();
    const estimate = page.getByTestId('corpus-estimate');
    await expect.poll(() => estimate.count(), { timeout: 60_000 }).toBe(1);
    expect(await estimate.textContent()).toMatch(/2,000 texts, 1,999,000 pairs on 1 model: about \d+( s| min| h( \d+ min)?) here \(rough: from a trial on the first 24 texts with glove\)/);
    expect(await page.getByTestId('corpus-status').getAttribute('data-phase')).toBe('idle');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('corpus-run-anyway');
    await page.getByTestId('corpus-run-dont').click();
    expect(await estimate.count()).toBe(0);
    expect(await page.getByTestId('corpus-table').count()).toBe(0);

    await page.getByTestId('drop-duplicates').click();
    expect(await page.getByTestId('corpus-texts').inputValue()).toBe('the same sentence about the city');
    expect(await warning.count()).toBe(0);
    expect(await page.getByTestId('corpus-count').textContent()).toMatch(/^1 text · 0 pairs/);
    await closePage(page);
  });
});
