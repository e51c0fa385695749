// What the console's routers share after `authenticate()`: the admins-only gate, no caching, and the 400 answers.
import type { RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { fieldIssues } from '../../validation/zod-issues.js';
import { principalFrom, refuse } from './auth.js';

/** After `authenticate()`: counsellors get 403 `admins_only`, as on every admin route. */
export const adminOnly: RequestHandler = (_req, res, next) => {
  if (principalFrom(res).role !== 'admin') return refuse(res, 403, 'admins_only', 'only an administrator of the organisation may do this');
  next();
};

/** People and key answers may carry a one-time secret: never kept by a cache. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/** 400 `invalid_body` with zod's issues. */
export function refuseInvalidBody(res: Response, error: z.ZodError): void {
  refuse(res, 400, 'invalid_body', 'the body is not valid', { issues: fieldIssues(error) });
}
