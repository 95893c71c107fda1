// The programme card the visitor sees when an advisor sends one from the console: it speaks to
// the visitor (what the programme is, how long, how to get in touch, cost, how to join), never in
// the advisors' risk language, comes into view when it arrives and fits a phone's width.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from '../lib/harness.mjs';
import { waitUntil } from '../lib/stack.mjs';
import { privateContent } from '../lib/content.mjs';
import {
  openConsole, goAvailable, acceptOffer, stackWithUsers, conversationPanel, advisorSays,
} from '../lib/console.mjs';
import { openDemo, launch, startChat, answerScreening } from '../lib/widget.mjs';

const LONG_EMAIL = 'self-referrals-and-general-enquiries-for-the-programme@a-very-long-organisation-name-for-testing.example.org';

test('programme card for the visitor: plain words, no risk reasoning, in view, no sideways scroll at 320 px', async (t) => {
  // Every programme gets a very long email address (a private copy of the directory).
  const contentDir = privateContent(t);
  const file = path.join(contentDir, 'programmes/directory.json');
  const directory = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const p of directory.programmes) p.contact.email = LONG_EMAIL;
  fs.writeFileSync(file, JSON.stringify(directory, null, 2));
  const { stack, users } = await stackWithUsers(t, { sam: {} }, { config: { content_dir: contentDir } });

  const console_ = await openConsole(t, stack, users.sam);
  await goAvailable(console_);

  const page = await t.page({ viewport: { width: 320, height: 568 }, locale: 'en-GB' });
  await openDemo(page, stack);
  const app = await launch(page);
  await startChat(app, 'own_behaviour');
  await answerScreening(app);

  const offer = console_.locator('.offer').first();
  await offer.waitFor({ timeout: 20000 });
  const id = await offer.getAttribute('data-conversation');
  await acceptOffer(console_, id);
  const panel = conversationPanel(console_, id);
  // Enough chat before the card that the log scrolls.
  for (let i = 1; i <= 6; i += 1) await advisorSays(console_, id, `Message ${i} before the suggestion, to fill the screen.`);
  await app.locator('#log li.msg', { hasText: 'Message 6 before' }).waitFor();

  await console_.keyboard.press('Alt+Shift+KeyP');
  const location = panel.locator('input.programme-location');
  await location.fill('LS6');
  await location.press('Enter');
  const first = panel.locator('.programme-results li.programme').first();
  await first.waitFor();
  const reasons = await first.locator('ul.reasons li').allTextContents();
  assert.ok(reasons.length > 0, 'the advisor sees why it was suggested');
  await first.locator('button.send-card').click();

  const card = app.locator('#log article.card');
  await card.waitFor();
  const text = await card.textContent();
  for (const word of ['risk', 'high-harm', 'Drive', 'Why this was suggested']) {
    assert.ok(!text.toLowerCase().includes(word.toLowerCase()), `the visitor's card does not say "${word}": ${text}`);
  }
  for (const r of reasons) assert.ok(!text.includes(r), `the visitor's card does not give the reason "${r}"`);
  assert.ok(/Length: .*weekly|Length: .*months/.test(text), `the card says how long: ${text}`);
  assert.ok(text.includes('Phone: 0113') && text.includes(LONG_EMAIL), `the card says how to get in touch: ${text}`);
  assert.ok(/Cost: /.test(text), `the card says what it costs: ${text}`);
  const about = await card.locator('.about').textContent();
  assert.ok(about.length > 30, `a plain description of what the programme is: "${about}"`);

  await waitUntil(() => card.evaluate((c) => {
    const box = c.getBoundingClientRect();
    const view = document.getElementById('chat-scroll').getBoundingClientRect();
    return box.top >= view.top - 1 && box.top < view.bottom - 40;
  }), { what: 'the card in view in the chat' });

  const widths = await app.evaluate(() => ({
    page: [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth],
    log: [document.getElementById('chat-scroll').scrollWidth, document.getElementById('chat-scroll').clientWidth],
  }));
  assert.ok(widths.page[0] <= widths.page[1], `the widget does not scroll sideways: ${JSON.stringify(widths)}`);
  assert.ok(widths.log[0] <= widths.log[1], `the chat does not scroll sideways: ${JSON.stringify(widths)}`);
});
