// Screening questions have no default answer: focus goes to the question text (so a screen
// reader reads it), no option is focused or pre-selected, and a stray Enter answers nothing.
// The immediate-danger question matters most: a "yes" there raises an imminent alert.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { advisorFor } from '../lib/advisor.mjs';
import { waitUntil } from '../lib/stack.mjs';
import {
  openDemo, launch, startChat, answerScreening, logEntries, recordSentFrames, appFocus,
} from '../lib/widget.mjs';

test('the danger question has no default: focus on its text, Enter answers nothing', async (t) => {
  const stack = await t.stack();
  const sam = await advisorFor(t, stack);
  const page = await t.page();
  const sent = recordSentFrames(page);
  await openDemo(page, stack);
  const app = await launch(page);
  await startChat(app, 'own_behaviour');

  const question = app.locator('#log .question[data-question="danger_now"]');
  await question.waitFor();
  const questionText = (await question.locator('.text').textContent()).trim();
  const focus = await waitUntil(async () => {
    const f = await appFocus(app);
    return f && f.text === questionText ? f : null;
  }, { what: 'focus on the danger question text' });
  await page.screenshot({ path: '/tmp/shots/w10-widget-a/danger-question-focus.png' });
  assert.equal(focus.option, false, 'no option button has focus');
  assert.equal(focus.tabindex, '-1', 'the question text takes focus without joining the tab order');
  assert.equal(await question.locator('[aria-pressed=true], [aria-checked=true], :checked').count(), 0, 'no option is pre-selected');

  // A stray Enter (and a held one) answers nothing.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Space');
  assert.ok(!(await appFocus(app)).option, 'Enter did not move focus onto an option');

  // Then the visitor really answers "No"; the server must have got that answer and no other.
  await question.locator('.options button[data-value=no]').click();
  const frames = () => sent.filter((f) => f.type === 'answer' && f.question_id === 'danger_now');
  await waitUntil(() => frames().length >= 1, { what: 'the chosen answer to be sent' });
  assert.deepEqual(frames().map((f) => f.value), ['no'], 'only the answer the visitor chose was sent');
  const mine = (await logEntries(app)).filter((e) => e.kind === 'me');
  assert.deepEqual(mine.map((e) => e.text), ['No'], 'the transcript shows one answer: No');

  await answerScreening(app);
  const { offer } = await sam.acceptNext();
  const stored = offer.conversation.answers.filter((a) => a.question_id === 'danger_now');
  assert.deepEqual(stored.map((a) => a.value), ['no'], 'the server stored "no" for the danger question');
  assert.notEqual(offer.conversation.level, 'imminent', 'no imminent alert from a stray key');
});

test('every screening question: focus on the question text, never on an option', async (t) => {
  const stack = await t.stack();
  const page = await t.page();
  await openDemo(page, stack);
  const app = await launch(page);
  await startChat(app, 'friend_family');
  for (let i = 0; i < 12; i += 1) {
    const q = await waitUntil(() => app.evaluate(() => {
      if (!document.getElementById('queue').hidden) return { queued: true };
      const li = document.querySelector('#log .question:not([data-answered])');
      return li ? { id: li.dataset.question, text: li.querySelector('.text').textContent.trim(), choice: !!li.querySelector('.options') } : null;
    }), { what: 'the next question or the queue' });
    if (q.queued) break;
    const f = await waitUntil(async () => {
      const x = await appFocus(app);
      return x && x.text === q.text ? x : null;
    }, { what: `focus on the text of question ${q.id}` });
    assert.equal(f.option, false, `${q.id}: no option focused`);
    if (q.choice) {
      // Keyboard: Tab reaches the options from the question text.
      await page.keyboard.press('Tab');
      assert.ok((await appFocus(app)).option, `${q.id}: Tab from the question reaches its first option`);
      await app.locator(`#log .question[data-question="${q.id}"] .options button`).last().click();
    } else {
      await app.locator('#skip').click();
    }
  }
  await app.locator('#queue').waitFor({ state: 'visible' });
});
