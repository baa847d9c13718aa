import { GraphQLScalarType, Kind } from 'graphql';
import { BadUserInputError } from './errors';

function parseInstant(value: unknown): Date {
  if (typeof value !== 'string')
    throw new BadUserInputError('A DateTime must be an ISO-8601 string such as 2026-01-15T04:00:00.000Z.');
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    throw new BadUserInputError(`"${value}" is not an ISO-8601 instant such as 2026-01-15T04:00:00.000Z.`);
  }
  return date;
}

/**
 * The ISO strings of the instants serialized lately, by epoch milliseconds: a push to thousands carries the same few
 * instants (the release's time, the exam's end, the appeal deadline), and `toISOString` costs microseconds each. A
 * memo of a pure function, not a limit: forgotten all at once when it holds ISO_KEPT instants.
 */
const isoOf = new Map<number, string>();
const ISO_KEPT = 1024;

function iso(date: Date): string {
  const time = date.getTime();
  let text = isoOf.get(time);
  if (text === undefined) {
    text = date.toISOString(); // an invalid date throws, as it always did, and is not kept
    if (isoOf.size >= ISO_KEPT) isoOf.clear();
    isoOf.set(time, text);
  }
  return text;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant, ISO-8601 in UTC, e.g. 2026-01-15T04:00:00.000Z',
  serialize: (value) => iso(value instanceof Date ? value : new Date(value as string)),
  parseValue: parseInstant,
  parseLiteral: (ast) => parseInstant(ast.kind === Kind.STRING ? ast.value : undefined),
});

function parseLocalDate(value: unknown): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new BadUserInputError('A Date must be a calendar date written YYYY-MM-DD.');
  }
  return value;
}

export const LocalDateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD',
  serialize: (value) => String(value),
  parseValue: parseLocalDate,
  parseLiteral: (ast) => parseLocalDate(ast.kind === Kind.STRING ? ast.value : undefined),
});
