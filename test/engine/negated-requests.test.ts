// A request turned round is not one (issue 17, item 3): in every client language, "I don't want to
// talk to a person" with that language's own negation in front does not ask for a counsellor,
// while the phrase alone does. Through the engine, in an English chat at the age question, as in
// transcript.test.ts "hears a request inside a few words".
import { describe, expect, it } from 'vitest';
import { type Step, useTranscripts } from '../support/transcript.js';

const { play } = useTranscripts('en');

const toAge: Step[] = [
  [{ type: 'start' }, ['Hello. I am Homeward', 'Which language do you want to use?']],
  ['English', ['Before we start, about your data', 'Do you agree that we keep your answers? [Yes] [No]']],
  ['yes', ['I will now ask some questions', 'We ask because', 'How old are you?']],
];

/** Per language: a negation of its own, and its "talk to a person" phrase (as in its system.json). */
const negated: [lng: string, negation: string, phrase: string][] = [
  ['en', "don't", 'talk to a person'],
  ['en', 'never', 'speak to someone'],
  ['fr', 'jamais', 'parler à une personne'],
  ['es', 'no', 'hablar con una persona'],
  ['pt', 'não', 'falar com uma pessoa'],
  ['ru', 'не', 'поговорить с человеком'],
  ['uk', 'не', 'поговорити з людиною'],
  ['ar', 'لا', 'أريد التحدث مع شخص'],
  ['fa', 'نمی‌خواهم', 'صحبت با یک نفر'],
  ['fa', 'نه', 'صحبت با یک نفر'],
  ['prs', 'نمی‌خواهم', 'گپ زدن با یک نفر'],
  ['prs', 'نمیخواهم', 'گپ زدن با یک نفر'],
  ['prs', 'نی', 'گپ زدن با یک نفر'],
  ['ps', 'نه', 'له یو کس سره خبرې'],
  ['ur', 'نہیں', 'کسی انسان سے بات'],
  ['ur', 'nahi', 'kisi insaan se baat'],
  ['bn', 'না', 'মানুষের সাথে কথা'],
  ['bn', 'na', 'manusher sathe kotha'],
  ['ka', 'არ', 'ადამიანთან საუბარი'],
  ['sq', 'nuk', 'fol me një njeri'],
  ['tr', 'asla', 'bir insanla konuş'],
  ['so', 'maya', 'la hadal qof'],
  ['ti', 'ኣይደልን', 'ምስ ሰብ ክዛረብ'],
  ['am', 'አልፈልግም', 'ከሰው ጋር መነጋገር'],
  ['am', 'አይ', 'ከሰው ጋር መነጋገር'],
  ['ckb', 'نامەوێت', 'قسەکردن لەگەڵ کەسێک'],
  ['ckb', 'نامەوێ', 'قسەکردن لەگەڵ کەسێک'],
  ['ckb', 'نا', 'قسەکردن لەگەڵ کەسێک'],
  ['ckb', 'نە', 'قسەکردن لەگەڵ کەسێک'],
  ['ckb', 'ناکەم', 'قسەکردن لەگەڵ کەسێک'],
  ['kmr', 'naxwazim', 'bi kesekî re biaxivim'],
  ['kmr', 'nexwazim', 'bi kesekî re biaxivim'],
  ['kmr', 'na', 'bi kesekî re biaxivim'],
  ['kmr', 'ne', 'bi kesekî re biaxivim'],
];

const handoffs = (events: readonly { type: string }[]) => events.filter((event) => event.type === 'handoff_requested');

describe('a request for a person turned round by a negation', () => {
  it.each(negated)('%s: "%s %s" is not a request, the phrase alone is', (_lng, negation, phrase) => {
    const turnedRound = play([...toAge, [`${negation} ${phrase}`, ['Sorry, I did not understand', 'How old are you?']]]);
    expect(handoffs(turnedRound.events)).toEqual([]);
    const asked = play([...toAge, [phrase, ['I am asking a counsellor']]]);
    expect(handoffs(asked.events)).toHaveLength(1);
  });

  it("a short negation of one language is an ordinary word beside another language's phrase", () => {
    // Portuguese "na" is "in the", not Kurmanji or Bengali "no".
    const { events } = play([...toAge, ['falar com uma pessoa na alemanha', ['I am asking a counsellor']]]);
    expect(handoffs(events)).toHaveLength(1);
  });
});
