import * as z from 'zod/mini';
import { UsageError } from '../errors.js';
import { didYouMean } from '../util/suggest.js';

/** Validates a command's options with its zod schema; the first problem becomes a one-line usage error naming the option. */
export function parseOptions<T extends z.ZodMiniType>(schema: T, raw: unknown): z.infer<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = issue.path.length > 0 ? `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : 'options';
  throw new UsageError(`${name}: ${issue.message}`);
}

/** Commander hands numbers over as strings; this accepts "10" and rejects "ten" or "-1". */
export const nonNegativeIntString = z.pipe(
  z.union([z.string(), z.number()]),
  z.transform((value, ctx) => {
    const n = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 0) {
      ctx.issues.push({ code: 'custom', message: `expected a non-negative integer, got "${value}"`, input: value });
      return z.NEVER;
    }
    return n;
  }),
);

/** One of `values`; a wrong value names the choices and the closest one ("--format: expected one of …, not "jsn" (did you mean "json"?)"). */
export function choice<const T extends readonly string[]>(values: T) {
  return z.string().check(
    z.refine((value) => (values as readonly string[]).includes(value), {
      error: (issue) => {
        const input = String(issue.input);
        const close = didYouMean(input, values);
        return `expected one of ${values.join(', ')}, not "${input}"${close ? ` (did you mean "${close}"?)` : ''}`;
      },
    }),
  ) as unknown as z.ZodMiniType<T[number], string>;
}
