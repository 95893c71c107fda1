import { startStack } from './lib/stack.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { Advisor } from './lib/advisor.mjs';
import { openDemo, launch, startChat, answerScreening, waitForLogText } from './lib/widget.mjs';
const stack = await startStack();
const b = await launchBrowser();
try {
  const u = await stack.addUser({ username: 'sam', name: 'Sam' });
  const sam = await Advisor.login(stack, u);
  const p = await b.newPage({ viewport: { width: 320, height: 640 } });
  await openDemo(p, stack, { lang: 'es' });
  const app = await launch(p);
  await startChat(app, 'own_behaviour');
  await p.screenshot({ path: '/tmp/d1.png' });
  await answerScreening(app);
  await p.waitForTimeout(800);
  await p.screenshot({ path: '/tmp/d2.png' });
  await sam.available();
  const { offer } = await sam.acceptNext();
  await sam.say(offer.conversation.id, 'Hola, soy Sam. ¿Qué ha pasado?');
  await waitForLogText(app, 'Hola');
  sam.send({ type: 'typing', conversation_id: offer.conversation.id, active: true });
  await p.waitForTimeout(300);
  await p.screenshot({ path: '/tmp/d3.png' });
  sam.close();
} finally { await b.close(); await stack.stop(); }
