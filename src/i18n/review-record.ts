// What meta.json keeps of a native speaker's review (issue 17): the reviewer's role, not their name
// (a record about the translation, not a person), when, and how many of the sheet's texts they checked.
import { z } from 'zod';

export const localeReviewSchema = z
  .strictObject({
    /** "native Tigrinya speaker, caseworker": enough to judge the review by, without a name. */
    role: z.string().trim().min(1),
    date: z.iso.datetime(),
    /** Texts the reviewer wrote or confirmed... */
    keys: z.int().nonnegative(),
    /** ...of the texts the sheet had. */
    of: z.int().positive(),
  })
  .refine((review) => review.keys <= review.of, { message: 'keys cannot exceed of' });
export type LocaleReview = z.infer<typeof localeReviewSchema>;
