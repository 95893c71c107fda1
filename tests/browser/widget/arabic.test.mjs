// Arabic: the screening scripts carry Arabic text, text from the server keeps its own direction
// inside the right-to-left layout (an English fallback does not get its punctuation flipped), and
// phone numbers read left to right, isolated from the Arabic around them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from '../lib/harness.mjs';
import { repoRoot } from '../lib/stack.mjs';
import { openDemo, launch, startChat } from '../lib/widget.mjs';

const ARABIC = /[\u0600-\u06FF]/;

test('content: every screening script has Arabic wherever it has English, and lists "ar"', async () => {
  const dir = path.join(repoRoot, 'content/scripts');
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const script = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    assert.ok(script.languages.includes('ar'), `${file}: "ar" in languages`);
    const missing = [];
    const walk = (o, at) => {
      if (Array.isArray(o)) o.forEach((v, i) => walk(v, `${at}[${i}]`));
      else if (o && typeof o === 'object') {
        if (typeof o.en === 'string' && !(typeof o.ar === 'string' && ARABIC.test(o.ar))) missing.push(`${at}: ${o.en}`);
        for (const [k, v] of Object.entries(o)) walk(v, `${at}.${k}`);
      }
    };
    walk(script, file);
    assert.deepEqual(missing, [], `${file}: texts without Arabic`);
  }
});

/** Where each of the given substrings of an element's text is drawn (x of its first box). */
function xOf(locator, parts) {
  return locator.evaluate((node, list) => {
    const out = {};
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let tn = walker.nextNode(); tn; tn = walker.nextNode()) {
      for (const p of list) {
        const i = tn.data.indexOf(p);
        if (i < 0 || p in out) continue;
        const r = document.createRange();
        r.setStart(tn, i);
        r.setEnd(tn, i + p.length);
        out[p] = r.getBoundingClientRect().x;
      }
    }
    return out;
  }, parts);
}

test('Arabic widget: phone numbers read left to right; text from the server keeps its own direction', async (t) => {
  const stack = await t.stack();
  const page = await t.page({ viewport: { width: 420, height: 800 } });
  await openDemo(page, stack, { lang: 'ar' });
  const app = await launch(page);
  await app.locator('input[name=caller][value=experiencing_abuse]').check();
  const link = app.locator('#start-services a[href="tel:08082000247"]');
  await link.waitFor();
  const number = link.locator('bdi, [dir=ltr]').filter({ hasText: '0808 2000 247' });
  assert.equal(await number.count(), 1, 'the number has an element of its own');
  const style = await number.evaluate((e) => ({ direction: getComputedStyle(e).direction, bidi: getComputedStyle(e).unicodeBidi }));
  assert.deepEqual(style, { direction: 'ltr', bidi: 'isolate' }, 'the number is left to right and isolated');
  const x = await xOf(link, ['0808', '2000', '247']);
  assert.ok(x['0808'] < x['2000'] && x['2000'] < x['247'], `the groups are drawn in order, left to right (${JSON.stringify(x)})`);
  assert.ok(ARABIC.test(await link.textContent()), 'the link keeps its Arabic label');

  await startChat(app, 'experiencing_abuse');
  await page.screenshot({ path: '/tmp/shots/w10-widget-a/arabic-question.png' });
  const q = app.locator('#log .question').first();
  const text = q.locator('.text');
  const shown = await text.textContent();
  // The questions are asked in Arabic (the scripts have it, though Arabic messages are screened
  // with the default language's phrases), right to left.
  assert.ok(ARABIC.test(shown), `the question is in Arabic: "${shown}"`);
  assert.equal(await text.evaluate((e) => getComputedStyle(e).direction), 'rtl', `the question "${shown}" reads right to left`);
  for (const b of await q.locator('.options button').all()) {
    const label = await b.textContent();
    assert.equal(await b.evaluate((e) => getComputedStyle(e).direction), ARABIC.test(label) ? 'rtl' : 'ltr', `option "${label}"`);
  }
  const services = app.locator('#chat-services a[href^="tel:"] bdi[dir=ltr]');
  assert.ok(await services.count() >= 1, 'numbers in the chat\'s services box are isolated too');
});
