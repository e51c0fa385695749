import { describe, expect, it } from 'vitest';
import { useTranscripts, type Step } from '../support/transcript.js';

const transcripts = useTranscripts();
const { play, explainedOutcomes, evaluatedOutcomes } = transcripts;

/**
 * Values interpolated into right-to-left texts come isolated (U+2068 ... U+2069). Amounts
 * (`{{amount, number}}`) are formatted by Intl in Persian digits; bare `{{count}}`, `{{min}}` and
 * `{{max}}` keep Latin digits.
 */
const iso = (value: string) => `\u2068${value}\u2069`;

describe('Persian transcript', () => {
  it('walks the whole intake with typed Persian answers, Persian digits and country names', () => {
    const { state, messages, events } = play(
      [
        [{ type: 'start' }, ['سلام. من «هوم‌وارد» هستم', 'به کدام زبان می‌خواهید ادامه دهیم؟']],
        ['فارسی', ['پیش از شروع، درباره اطلاعات شما', 'آیا موافقید که جواب‌های شما را نگه داریم؟ [بله] [نه]']],
        [
          'بله',
          [
            'حالا چند سؤال درباره وضعیت شما می‌پرسم',
            'چون کمک برای بچه‌ها و بزرگسالان فرق دارد',
            'چند سال دارید؟ [کمتر از ۱۶] [۱۶ یا ۱۷] [۱۸ تا ۵۹] [۶۰ یا بیشتر] [نمی‌خواهم بگویم]',
          ],
        ],
        // "Are you safe now" comes right after age.
        ['۱۸ تا ۵۹', ['اگر در خطر باشید', 'آیا کسی به شما آسیب می‌زند']],
        ['نه', ['الان در کدام کشور هستید؟ [آلمان] [هلند] [بلژیک] [فرانسه] [اتریش] [نمی‌دانم] [نمی‌خواهم بگویم]']],
        ['آلمان', ['دفتری نزدیک شما', 'الان در کدام شهر یا روستا زندگی می‌کنید؟']],
        ['نمی‌خواهم بگویم', ['کشورهای مشخصی', 'شهروند کدام کشور هستید؟']],
        ['ایران', ['شاید به کدام کشور برگردید؟']],
        ['نمی‌دانم', ['به وضعیت شما بستگی دارد', 'الان وضعیت شما در این کشور چیست؟']],
        ['درخواست پناهندگی‌ام رد شده است', ['فقط پیش از آن تاریخ ممکن است', 'آیا به شما تاریخی داده‌اند']],
        ['بله', ['آن تاریخ چیست؟']],
        ['۳۱.۰۲.۲۰۲۷', ['لطفاً تاریخ میلادی را این‌طور بنویسید', 'آن تاریخ چیست؟']],
        ['۱۵.۰۱.۲۰۲۷', ['چند نفر بزرگسال']],
        ['زیاد', ['لطفاً یک عدد بنویسید', 'چند نفر بزرگسال']],
        // {{min}} and {{max}} carry no number format in the base text: they stay in Latin digits, isolated.
        ['۲۵', [`لطفاً یک عدد از ${iso('۱')} تا ${iso('۲۰')} بنویسید.`, 'چند نفر بزرگسال']],
        ['۲', ['چند بچه زیر ۱۸ سال با شما سفر می‌کنند؟']],
        ['۳', ['برای بچه‌های کوچک‌تر فرق دارد', 'بچه‌ها چند سال دارند؟']],
        ['نمی‌دانم', ['چرا می‌پرسیم', 'آیا یکی از این‌ها درباره شما']],
        ['بیماری، یا نیاز به درمان', [`ثبت شد (${iso('۱')} مورد انتخاب شد)`, 'آیا یکی از این‌ها']],
        ['تمام شد', ['فقط یک بار', 'آیا قبلاً از یک برنامه برای برگشتن']],
        ['نه', ['تا وقتی کسی در بازداشت است', 'آیا الان در بازداشت یا زندان هستید؟']],
        ['نه', ['آیا کسی به شما فشار می‌آورد که برگردید؟']],
        ['نه', ['چه کمکی برای شما مهم است؟']],
        ['سفر و بلیت', [`ثبت شد (${iso('۱')} مورد انتخاب شد)`, 'چه کمکی']],
        ['۵', [`ثبت شد (${iso('۲')} مورد انتخاب شد)`, 'چه کمکی']],
        ['تمام شد', ['یک سؤال آخر']],
        [
          'دلم برای پدر و مادرم تنگ شده',
          [
            'این چیزی است که از جواب‌های شما پیدا کردم',
            'پیش از اینکه درباره چیزی تصمیم بگیرید:',
            'آیا می‌خواهید با یک مشاور صحبت کنید؟ [بله، می‌خواهم با یک نفر صحبت کنم] [نه، الان نه] [بیشتر درباره REAG/GARP]',
          ],
        ],
        [
          'بیشتر درباره REAG/GARP',
          [
            // Amounts are formatted by Intl in Persian digits, with the Arabic thousands separator U+066C.
            `برای خانواده شما، این کمک روی هم ممکن است تا ${iso('۶\u066c۲۰۰')} یورو باشد`,
            'آیا می‌خواهید با یک مشاور صحبت کنید؟',
          ],
        ],
        ['نه', ['از وقتی که گذاشتید ممنونیم']],
      ],
      'fa',
    );
    expect(state.answers).toMatchObject({
      language: 'fa',
      consent: 'yes',
      ageBand: '18-59',
      hostCountry: 'DE',
      hostCity: 'prefer_not_to_say',
      nationality: 'IR',
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

  it('understands typed Persian intents and safety words inside a sentence', () => {
    const start: Step[] = [
      [{ type: 'start' }, ['سلام', 'به کدام زبان']],
      ['فارسی', ['پیش از شروع', 'آیا موافقید']],
      ['بله', ['حالا چند سؤال', 'چون کمک', 'چند سال دارید؟']],
    ];
    play([...start, ['کمک', ['می‌توانید با دکمه‌ها جواب بدهید', 'چند سال دارید؟']]], 'fa');
    const handoff = play([...start, ['صحبت با یک نفر', ['از یک مشاور می‌خواهم']]], 'fa');
    expect(handoff.events).toContainEqual({ type: 'handoff_requested', reason: 'client_request' });
    // Danger heard inside a sentence: the questions stop until the person taps "continue".
    const safety = play([...start, ['لطفاً کمک کنید، من در خطر هستم', ['[ادامهٔ پرسش‌ها]']], ['ادامهٔ پرسش‌ها', ['چند سال دارید؟']]], 'fa');
    expect(safety.events).toContainEqual(expect.objectContaining({ type: 'handoff_requested', reason: 'safety_concern' }));
  });
});

// Dari (prs, fa-AF) is a language of its own since issue 17: test/i18n/dari.test.ts and transcript-prs.test.ts.
