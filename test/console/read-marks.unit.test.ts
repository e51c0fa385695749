import { describe, expect, it } from 'vitest';
import { marksKey, nextMarks, readMarks, unreadIds, writeMarks, type MarkStorage } from '../../src/console/pages/client/read-marks.js';

function memoryStorage(): MarkStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

describe('the queue’s unread marks', () => {
  it('count a referral never opened and one written in since, not one opened since', () => {
    let marks = nextMarks({}, { opened: 'a' });
    marks = nextMarks(marks, { opened: 'b' });
    expect(unreadIds(['a', 'b', 'c'], marks)).toEqual(['c']);
    marks = nextMarks(marks, { wrote: 'b' });
    expect(unreadIds(['a', 'b', 'c'], marks)).toEqual(['b', 'c']);
    marks = nextMarks(marks, { opened: 'b' });
    expect(unreadIds(['a', 'b', 'c'], marks)).toEqual(['c']);
    // A reply in a chat never opened: still unread, nothing to remember.
    expect(nextMarks(marks, { wrote: 'c' })).toEqual(marks);
  });

  it('keep only the referrals still open, so the stored list does not grow', () => {
    expect(nextMarks({ a: 'seen', b: 'wrote', gone: 'seen' }, { keep: ['a', 'b'] })).toEqual({ a: 'seen', b: 'wrote' });
  });

  it('are stored per user, and a stored value that is not marks reads as none', () => {
    const storage = memoryStorage();
    writeMarks(storage, 'u1', { a: 'seen' });
    expect(readMarks(storage, 'u1')).toEqual({ a: 'seen' });
    expect(readMarks(storage, 'u2')).toEqual({});
    storage.setItem(marksKey('u1'), '{"a":"maybe"}');
    expect(readMarks(storage, 'u1')).toEqual({});
    storage.setItem(marksKey('u1'), 'not json');
    expect(readMarks(storage, 'u1')).toEqual({});
  });
});
