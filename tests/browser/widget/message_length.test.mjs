// Message length is counted as the server counts it (characters, docs/protocol.md `too_long`),
// so an Arabic writer gets as many characters as an English one, a message over the limit is
// refused in the box, not after it was cleared; a message stays
// visible until the server acknowledges it, and one the server refuses or never confirms keeps
// its text with Retry.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { advisorFor } from '../lib/advisor.mjs';
import { waitUntil } from '../lib/stack.mjs';
import {
  openDemo, launch, startChat, answerScreening, waitForLogText, logEntries, recordSentFrames, visitorSays,
} from '../lib/widget.mjs';

async function activeChat(t, stack, page, { lang } = {}) {
  const sam = await advisorFor(t, stack);
  await openDemo(page, stack, { lang });
  const app = await launch(page);
  await startChat(app);
  await answerScreening(app);
  const { offer } = await sam.acceptNext();
  await app.locator('#log .sys').first().waitFor();
  return { sam, app, convId: offer.conversation.id };
}

test('a message over the limit in Arabic is refused in the box with a clear message; nothing is lost', async (t) => {
  const stack = await t.stack();
  const page = await t.page({ viewport: { width: 420, height: 760 } });
  const sent = recordSentFrames(page);
  const { sam, app, convId } = await activeChat(t, stack, page, { lang: 'ar' });

  // About 4,200 characters of Arabic: over the 4,000-character limit.
  const long = 'مرحبا '.repeat(700).trim();
  assert.ok([...long].length > 4000, 'control: over 4,000 characters');
  await app.locator('#text').fill(long);
  const error = app.locator('#text-error');
  await error.waitFor({ state: 'visible' });
  assert.equal(await error.textContent(), 'هذه الرسالة أطول من أن تُرسل. اختصرها أو قسّمها إلى رسالتين. لم يُرسل أي شيء بعد.');
  assert.equal(await app.locator('#text').getAttribute('aria-invalid'), 'true');
  assert.ok((await app.locator('#text').getAttribute('aria-describedby')).split(' ').includes('text-error'), 'the box is described by the error');
  await page.screenshot({ path: '/tmp/shots/w10-widget-a/length-over-ar.png' });

  await app.locator('#send').click();
  await app.locator('#text').press('Enter');
  assert.equal(await app.locator('#text').inputValue(), long, 'the text is still in the box, all of it');
  assert.ok(await error.isVisible(), 'the error still says why');
  assert.ok(!(await logEntries(app)).some((e) => e.kind === 'me' && e.text.startsWith('مرحبا')), 'nothing looks sent');
  assert.equal(sent.filter((f) => f.type === 'message').length, 0, 'nothing was sent to the server');

  // Shortened under the limit: the counter shows what is left, never more than there is. Nearly
  // 4,000 Arabic characters are about 7,000 bytes: the server takes them, as it would English.
  const fits = long.slice(0, 3950).trim();
  assert.ok(Buffer.byteLength(fits) > 4000, 'control: more bytes than characters');
  await app.locator('#text').fill(fits);
  await error.waitFor({ state: 'hidden' });
  const left = Math.floor(((4000 - [...fits].length) * 100) / 4000);
  assert.equal(await app.locator('#text-count').textContent(), `المساحة المتبقية في هذه الرسالة: ${left}%`);
  await app.locator('#send').click();
  await waitUntil(async () => (await logEntries(app)).some((e) => e.kind === 'me' && e.text === fits && e.status === 'sent'),
    { what: 'the message acknowledged and shown as sent' });
  assert.equal(await app.locator('#text').inputValue(), '', 'the box is empty once the message is in the transcript');
  await sam.next((m) => m.type === 'message' && m.conversation_id === convId && m.text === fits);
  assert.ok(await app.locator('#log li.me .meta').filter({ hasText: 'أُرسلت' }).isVisible(), 'shown as sent');
});

test('a message the server refuses stays visible with Retry and Edit; nothing is stored', async (t) => {
  // A refusal the widget cannot foresee: the conversation is full (a helpline's bound on
  // messages per conversation, set low here).
  const stack = await t.stack({ config: { limits: { max_messages_per_conversation: 10 } } });
  const page = await t.page();
  const { sam, app, convId } = await activeChat(t, stack, page);
  for (let i = 1; i <= 5; i += 1) await visitorSays(app, `Message ${i}`);
  // Then keep writing until the server refuses one: nothing the widget could have counted.
  for (let i = 6; i <= 12; i += 1) {
    await app.locator('#text').fill(`Message ${i}`);
    await app.locator('#send').click();
  }
  await app.locator('#log li.me.failed').first().waitFor();
  const text = 'I want to explain what happened last night, from the very beginning, because it matters to me that you understand all of it, and why.';
  await app.locator('#text').fill(text);
  await app.locator('#send').click();

  const failed = app.locator('#log li.me.failed', { hasText: 'from the very beginning' });
  await failed.waitFor();
  assert.equal(await failed.locator('.text').textContent(), text, 'the refused message stays visible');
  assert.equal(await failed.locator('.meta').textContent(), "Not sent. You can't send more here.");
  assert.ok(await failed.getByRole('button', { name: 'Retry' }).isVisible(), 'Retry is offered');
  assert.ok(await failed.getByRole('button', { name: 'Edit' }).isVisible(), 'Edit is offered');
  await waitUntil(() => app.evaluate(() => document.getElementById('announce').textContent.includes('Not sent.')),
    { what: 'the failure announced' });
  await page.screenshot({ path: '/tmp/shots/w10-widget-a/refused-retry.png' });
  const { messages } = await sam.history(convId, 0);
  assert.ok(!messages.some((m) => m.text === text), 'the server stored nothing');

  await failed.getByRole('button', { name: 'Edit' }).click();
  assert.equal(await app.locator('#text').inputValue(), text, 'Edit puts the text back in the box');
  assert.ok(!(await logEntries(app)).some((e) => e.text === text), 'and the failed bubble goes');
  assert.equal(await app.evaluate(() => document.activeElement.id), 'text');
});

test('a message the server never acknowledges shows Retry; Retry sends it once, and it shows as sent', async (t) => {
  const stack = await t.stack();
  const page = await t.page();
  let dropNext = false;
  // Between the widget and the server: drop one chat message on its way, as a lost frame would be.
  await page.context().routeWebSocket(/\/ws\/visitor$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      if (dropNext && typeof m === 'string' && JSON.parse(m).type === 'message') {
        dropNext = false;
        return;
      }
      server.send(m);
    });
    server.onMessage((m) => ws.send(m));
  });
  const { sam, app, convId } = await activeChat(t, stack, page);
  dropNext = true;
  await app.locator('#text').fill('Is anyone there?');
  await app.locator('#send').click();
  const mine = app.locator('#log li.me');
  await mine.locator('.meta').filter({ hasText: 'Sending' }).waitFor();
  await mine.getByRole('button', { name: 'Retry' }).waitFor({ timeout: 20000 });
  assert.equal(await mine.locator('.meta').textContent(), 'Not sent. The helpline has not confirmed it yet.');

  await mine.getByRole('button', { name: 'Retry' }).click();
  await waitUntil(async () => (await logEntries(app)).some((e) => e.text === 'Is anyone there?' && e.status === 'sent'),
    { what: 'the retried message acknowledged' });
  assert.equal(await mine.getByRole('button', { name: 'Retry' }).count(), 0, 'no Retry once sent');
  await sam.next((m) => m.type === 'message' && m.text === 'Is anyone there?');
  const { messages } = await sam.history(convId, 0);
  assert.equal(messages.filter((m) => m.text === 'Is anyone there?').length, 1, 'stored exactly once');
  await waitForLogText(app, 'Is anyone there?');
});
