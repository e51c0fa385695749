/**
 * The FAQ topics reachable from any point (`faq` intent, `/faq`): each has a label
 * `system:faq.topic.<topic>` and an answer `system:faq.answer.<topic>`. Flows may offer the same
 * texts as ordinary choices (the no-consent menu does).
 */
export const faqTopics = ['voluntary_return', 'asylum_case', 'confidential', 'change_mind', 'reintegration', 'who_runs'] as const;
export type FaqTopic = (typeof faqTopics)[number];

/** The button that closes the FAQ and goes back to the current question. */
export const faqBackValue = 'back';
