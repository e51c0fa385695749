// A short two-note tone for an urgent referral: a counsellor working in another tab or away from
// the screen hears that someone may be in danger now. A reply in one of their chats gets one softer
// note, so the two are told apart by ear. Made with Web Audio (no sound file to load
// or to cache). Browsers allow sound only after the page has had a user gesture; a counsellor has
// logged in by then, and where sound is refused the visible alert stands alone.
let context: AudioContext | undefined;

const TONES = {
  urgent: { volume: 0.2, notes: [[0, 880] as const, [0.22, 660] as const] },
  reply: { volume: 0.08, notes: [[0, 520] as const] },
};

export function playAlertTone(kind: keyof typeof TONES = 'urgent'): void {
  try {
    context ??= new AudioContext();
    const start = context.currentTime;
    const tone = TONES[kind];
    for (const [offset, frequency] of tone.notes) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(tone.volume, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.001, start + offset + 0.2);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.2);
    }
  } catch {
    // No audio (a locked-down browser): the alert on the page is what the counsellor sees.
  }
}
