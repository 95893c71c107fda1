// Console: direction controls in what someone typed cannot reorder what the advisor reads. A
// right-to-left override (U+202E) in a visitor's message and in a callback note is shown as a
// visible marker, and the words after it read in the order they were written.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { Visitor, openConsole, goAvailable, queueAndAccept, stackWithUsers, assertNoConsoleErrors } from '../lib/console.mjs';

const RLO = '\u202E';

/**
 * Where the first and the last character of `word` are drawn, inside `locator`: in logical
 * (left-to-right) order the first is left of the last; an override draws it the other way round.
 */
async function drawnInOrder(locator, word) {
  return locator.evaluate((root, w) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.data.indexOf(w);
      if (i < 0) continue;
      const rect = (k) => { const r = document.createRange(); r.setStart(n, k); r.setEnd(n, k + 1); return r.getBoundingClientRect(); };
      const first = rect(i);
      const last = rect(i + w.length - 1);
      return { found: true, inOrder: first.left < last.left && Math.abs(first.top - last.top) < 2 };
    }
    return { found: false };
  }, word);
}

test('a direction override in a visitor message and a callback note is shown, and the text reads in order', async (t) => {
  const { stack, users } = await stackWithUsers(t, { sam: {} });
  const caller = await Visitor.connect(stack);
  t.cleanup(() => caller.close());
  const cb = await caller.request({
    type: 'callback_request', phone: '07700 900123', lang: 'en', caller_type: 'own_behaviour',
    safe_times: [{ day: 'any', from: '00:00', to: '23:59' }], may_leave_message: false, may_say_who_is_calling: false,
    note: `Safe to call: ${RLO}never after six`,
  });

  const page = await openConsole(t, stack, users.sam);
  await goAvailable(page);
  const { visitor, panel } = await queueAndAccept(t, stack, page);
  const ack = await visitor.say(`I will ${RLO}not hurt her again`);

  const message = panel.locator(`.transcript li[data-seq="${ack.seq}"] .message-text`);
  await message.waitFor();
  const marker = message.locator('.bidi-control');
  assert.equal(await marker.innerText(), '⟪RLO⟫', 'the override is shown as a marker');
  assert.match(await marker.getAttribute('title'), /direction/i, 'the marker says what it is');
  assert.ok(!(await message.innerText()).includes(RLO), 'the override itself is not in the text');
  assert.deepEqual(await drawnInOrder(message, 'not hurt her again'), { found: true, inOrder: true }, 'the message reads in order');

  await page.locator('.tab[data-tab="callbacks"]').click();
  const note = page.locator(`li.callback[data-callback="${cb.callback_id}"] .callback-note`);
  await note.waitFor();
  assert.equal(await note.locator('.bidi-control').innerText(), '⟪RLO⟫');
  assert.deepEqual(await drawnInOrder(note, 'never after six'), { found: true, inOrder: true }, 'the note reads in order');
  assertNoConsoleErrors(page);
});
