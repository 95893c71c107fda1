// The services shown while the line is closed must fit whoever is reading: the widget does not
// know yet who is getting in touch, so someone worried about their own behaviour must find
// services for them too, not only services for people experiencing abuse.
import assert from 'node:assert/strict';
import { test } from '../lib/harness.mjs';
import { openDemo, launch } from '../lib/widget.mjs';

test('closed line: services for someone worried about their own behaviour as well as for victims', async (t) => {
  const stack = await t.stack({ hours: { always_open: false, weekly: {} } });
  const page = await t.page();
  await openDemo(page, stack);
  const app = await launch(page);
  const closed = app.locator('#s-closed');
  await closed.waitFor({ state: 'visible' });
  const box = app.locator('#closed-services');
  const headings = await box.locator('h4').allTextContents();
  assert.deepEqual(headings, ["If you're worried about your own behaviour", 'If you are experiencing abuse'],
    'each group of services says who it is for');
  const own = await box.locator('.service-list').first().textContent();
  assert.ok(own.includes('Samaritans') && own.includes('999'), `services for someone worried about their behaviour: ${own}`);
  const text = await box.textContent();
  assert.ok(text.includes('National Domestic Abuse Helpline'), 'services for someone experiencing abuse are still there');
  assert.ok(!text.includes('You can still chat with us'), 'no promise of a chat while the line is closed');
});
