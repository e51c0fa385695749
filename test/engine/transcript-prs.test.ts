import { describe, expect, it } from 'vitest';
import { useTranscripts, type Step } from '../support/transcript.js';

const transcripts = useTranscripts();
const { play, explainedOutcomes, evaluatedOutcomes } = transcripts;

/**
 * Values interpolated into right-to-left texts come isolated (U+2068 ... U+2069). Amounts
 * (`{{amount, number}}`) are formatted by Intl in Persian digits; bare `{{count}}`, `{{min}}` and
 * `{{max}}` too (Intl reads prs as fa-AF).
 */
const iso = (value: string) => `\u2068${value}\u2069`;

describe('Dari transcript', () => {
  it('walks the whole intake with answers typed in Dari: no zero-width joiners, Persian and Latin digits, Afghan country names', () => {
    const { state, messages, events } = play(
      [
        [{ type: 'start' }, ['سلام. من «هوم‌وارد» استم', 'به کدام زبان می‌خواهید گپ بزنیم؟']],
        ['دری', ['پیش از شروع، در بارهٔ معلومات شما', 'آیا موافق استید که جواب‌های شما را نگه داریم؟ [بلی] [نه]']],
        [
          'بلی',
          [
            'حالا چند سوال در بارهٔ وضعیت شما می‌پرسم',
            'چون کمک برای اطفال و کلان‌سالان فرق دارد',
            'چند سال دارید؟ [کمتر از ۱۶ سال] [۱۶ یا ۱۷ سال] [۱۸ تا ۵۹ سال] [۶۰ سال یا بیشتر] [نمی‌خواهم بگویم]',
          ],
        ],
        // "34" typed in Latin digits picks the band 18 to 59.
        ['34', ['اگر در خطر باشید', 'آیا کسی به شما آزار می‌رساند']],
        ['نه', ['فعلاً در کدام کشور استید؟ [آلمان] [هالند] [بلجیم] [فرانسه] [اتریش] [نمی‌دانم] [نمی‌خواهم بگویم]']],
        ['جرمنی', ['یک دفتر نزدیک شما', 'فعلاً در کدام شهر یا قریه زندگی می‌کنید؟']],
        // Typed without the zero-width non-joiner, as most phones do.
        ['نمیخواهم بگویم', ['کشورهای معین', 'تبعهٔ کدام کشور استید؟']],
        ['افغانستان', ['شاید به کدام کشور برگردید؟']],
        ['نمیدانم', ['به وضعیت شما بستگی دارد', 'فعلاً وضعیت شما در این کشور چطور است؟']],
        ['درخواست پناهندگی‌ام رد شده است', ['تنها پیش از آن تاریخ ممکن است', 'آیا برای تان تاریخی داده‌اند']],
        ['بلی', ['آن تاریخ چند است؟']],
        ['۳۱.۰۲.۲۰۲۷', ['لطفاً تاریخ میلادی را این طور بنویسید', 'آن تاریخ چند است؟']],
        ['۱۵.۰۱.۲۰۲۷', ['چند نفر کلان‌سال']],
        // A word that is no number ("many"): the person is asked for digits (number words are read: typed-answers.test.ts).
        ['زیاد', ['لطفاً یک عدد بنویسید', 'چند نفر کلان‌سال']],
        ['۲۵', [`لطفاً یک عدد از ${iso('۱')} تا ${iso('۲۰')} بنویسید.`, 'چند نفر کلان‌سال']],
        ['۲', ['چند طفل زیر ۱۸ سال با شما سفر می‌کنند؟']],
        ['3', ['برای اطفال خوردتر فرق دارد', 'اطفال چند ساله استند؟']],
        ['نمیدانم', ['چرا می‌پرسیم', 'آیا یکی از این‌ها در بارهٔ شما']],
        ['مریضی، یا ضرورت به تداوی', [`ثبت شد (${iso('۱')} مورد انتخاب شد)`, 'آیا یکی از این‌ها']],
        ['تمام شد', ['تنها یک بار', 'آیا پیش از این از یک برنامه برای برگشتن']],
        ['نه', ['تا وقتی کسی در توقیف است', 'آیا فعلاً در توقیف یا زندان استید؟']],
        ['نه', ['آیا کسی به شما فشار می‌آورد که برگردید؟']],
        ['نه', ['کدام کمک برای شما مهم است؟']],
        ['سفر و تکت', [`ثبت شد (${iso('۱')} مورد انتخاب شد)`, 'کدام کمک']],
        ['۵', [`ثبت شد (${iso('۲')} مورد انتخاب شد)`, 'کدام کمک']],
        ['تمام شد', ['یک سوال آخر']],
        [
          'دلم برای مادرم و خواهرانم در کابل تنگ شده',
          [
            'این چیزی است که از جواب‌های تان پیدا کردم',
            'پیش از اینکه در بارهٔ چیزی فیصله کنید:',
            'آیا می‌خواهید با یک مشاور گپ بزنید؟ [بلی، می‌خواهم با یک نفر گپ بزنم] [نه، فعلاً نه] [بیشتر در بارهٔ REAG/GARP]',
          ],
        ],
        ['بیشتر در بارهٔ REAG/GARP', [`برای فامیل شما، این کمک روی هم شاید تا ${iso('۶\u066c۲۰۰')} یورو باشد`, 'آیا می‌خواهید با یک مشاور گپ بزنید؟']],
        ['نه', ['تشکر از وقتی که گذاشتید']],
      ],
      'prs',
    );
    expect(state.answers).toMatchObject({
      language: 'prs',
      consent: 'yes',
      ageBand: '18-59',
      hostCountry: 'DE',
      hostCity: 'prefer_not_to_say',
      nationality: 'AF',
      returnCountry: 'unknown',
      legalStatus: 'asylum_rejected',
      hasDepartureDeadline: 'yes',
      departureDeadline: '2027-01-15',
      householdAdults: 2,
      householdMinors: 3,
      minorAges: 'unknown',
      safetyConcern: 'no',
      vulnerabilities: ['medical_needs'],
      priorReturnAssistance: 'no',
      detained: 'no',
      wishes: ['travel', 'business'],
      wantsCounsellor: 'no',
    });
    expect(events).toContainEqual({ type: 'consent', granted: true, noticeVersion: '2026-11-v1' });
    expect(explainedOutcomes(messages)).toEqual(evaluatedOutcomes(state.answers));
  });

  it('understands Dari intents typed in Arabic script and in Latin letters, and danger inside a sentence', () => {
    const start: Step[] = [
      [{ type: 'start' }, ['سلام', 'به کدام زبان']],
      ['dari', ['پیش از شروع', 'آیا موافق استید']],
      ['بلی', ['حالا چند سوال', 'چون کمک', 'چند سال دارید؟']],
    ];
    play([...start, ['کمک', ['می‌توانید با دکمه‌ها جواب بدهید', 'چند سال دارید؟']]], 'prs');
    const handoff = play([...start, ['میخواهم با یک نفر گپ بزنم', ['از یک مشاور خواهش می‌کنم']]], 'prs');
    expect(handoff.events).toContainEqual({ type: 'handoff_requested', reason: 'client_request' });
    const latin = play([...start, ['ba yak nafar gap bezanam', ['از یک مشاور خواهش می‌کنم']]], 'prs');
    expect(latin.events).toContainEqual({ type: 'handoff_requested', reason: 'client_request' });
    // Danger heard inside a sentence, in Dari words: the questions stop until the person taps "continue".
    const safety = play([...start, ['لطفاً کمک کنید، شوهرم همی حالا مره لت میکنه', ['[ادامهٔ سوال‌ها]']], ['ادامهٔ سوال‌ها', ['چند سال دارید؟']]], 'prs');
    expect(safety.events).toContainEqual(expect.objectContaining({ type: 'handoff_requested', reason: 'safety_concern' }));
  });

  it('serves a conversation asked for in fa-AF in Dari, not in Iranian Persian', () => {
    const locale = transcripts.localisation.choose(['fa-AF', 'fa', 'en'], 'en');
    expect(locale).toBe('prs');
    const { state } = play(
      [
        [{ type: 'start' }, ['سلام. من «هوم‌وارد» استم', 'به کدام زبان می‌خواهید گپ بزنیم؟']],
        ['زبان دري', ['پیش از شروع، در بارهٔ معلومات شما', 'آیا موافق استید']],
      ],
      locale,
    );
    expect(state.answers).toMatchObject({ language: 'prs' });
  });
});
