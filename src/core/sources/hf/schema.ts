/**
 * zod schemas of one element of `GET /api/daily_papers`. Tolerant on purpose: only `paper.id`,
 * `paper.title` and `paper.upvotes` are required; every other field is optional, and an optional
 * field of the wrong type (or `null`) is dropped rather than failing the whole item. Unknown keys
 * are allowed (the API adds fields over time).
 */
import { z } from 'zod';

/** An optional field: absent, `null` or of the wrong type all read as `undefined`. */
const opt = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

const text = z.string();
const count = z.number().int().nonnegative();

export const hfAuthorSchema = z.looseObject({
  name: z.string(),
  hidden: opt(z.boolean()),
});

export const hfOrganizationSchema = z.looseObject({
  name: opt(text),
  fullname: opt(text),
});

export const hfPaperSchema = z.looseObject({
  id: z.string().min(1),
  title: z.string(),
  upvotes: count,
  summary: opt(text),
  // An author without a name is dropped alone, not the whole paper.
  authors: opt(z.array(hfAuthorSchema.nullable().catch(null))),
  publishedAt: opt(text),
  submittedOnDailyAt: opt(text),
  ai_summary: opt(text),
  ai_keywords: opt(z.array(z.string().nullable().catch(null))),
  githubRepo: opt(text),
  githubStars: opt(count),
  projectPage: opt(text),
  organization: opt(hfOrganizationSchema),
});

export const hfDailyItemSchema = z.looseObject({
  paper: hfPaperSchema,
  // Top-level copies; older eras keep some fields only here.
  title: opt(text),
  summary: opt(text),
  publishedAt: opt(text),
  thumbnail: opt(text),
  /** Before mid-2024 the thumbnail was called `mediaUrl`. */
  mediaUrl: opt(text),
  organization: opt(hfOrganizationSchema),
  /** Middle era (2025): the submitter's organization, top level. */
  submitterOrganization: opt(hfOrganizationSchema),
  githubRepo: opt(text),
  githubStars: opt(count),
  projectPage: opt(text),
});

export type HfDailyItem = z.infer<typeof hfDailyItemSchema>;
export type HfPaper = z.infer<typeof hfPaperSchema>;
