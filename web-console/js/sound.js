// Short alert tones generated with WebAudio (no audio files).

let ctx = null;
let played = 0;

function context() {
  if (!ctx) {
    const Ctor = window.AudioContext || window.webkitAudioContext;
    if (!Ctor) return null;
    ctx = new Ctor();
  }
  if (ctx.state === 'suspended') ctx.resume().catch(() => {});
  return ctx;
}

// Browsers allow audio only after a user gesture: unlock on the first one.
export function unlockAudio() {
  const once = () => { context(); window.removeEventListener('pointerdown', once); window.removeEventListener('keydown', once); };
  window.addEventListener('pointerdown', once);
  window.addEventListener('keydown', once);
}

function tone(ac, frequency, start, duration) {
  const osc = ac.createOscillator();
  const gain = ac.createGain();
  osc.type = 'sine';
  osc.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(0.25, start + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + duration);
  osc.connect(gain).connect(ac.destination);
  osc.start(start);
  osc.stop(start + duration + 0.02);
}

// kind: 'offer' (two soft beeps) or 'alert' (three high beeps).
export function beep(kind = 'offer') {
  const ac = context();
  played += 1;
  document.documentElement.dataset.beeps = String(played); // observable by tests and assistive tooling
  if (!ac) return;
  const now = ac.currentTime + 0.01;
  if (kind === 'alert') {
    for (let i = 0; i < 3; i += 1) tone(ac, 988, now + i * 0.22, 0.16);
  } else {
    tone(ac, 660, now, 0.15);
    tone(ac, 880, now + 0.2, 0.15);
  }
}
