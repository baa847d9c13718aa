import pino from 'pino';
import { CheckConstraintViolationException, DriverException } from '@mikro-orm/core';
import { safeError } from './logger';

/** A driver error's message and stack carry the SQL with its values; the log keeps neither. */
describe('error lines', () => {
  const secret = 'my draft answer, private';
  const sqliteLike = () =>
    Object.assign(
      new Error(
        `update \`answers\` set \`text\` = '${secret}' where \`id\` = 'x' - CHECK constraint failed: answers_no_fault`,
      ),
      { name: 'SqliteError', code: 'SQLITE_CONSTRAINT_CHECK' },
    );
  const pgLike = () =>
    Object.assign(
      new Error(
        `update "answers" set "text" = '${secret}' - new row for relation "answers" violates check constraint "answers_no_fault"`,
      ),
      {
        severity: 'ERROR',
        code: '23514',
        routine: 'ExecConstraints',
        table: 'answers',
        constraint: 'answers_no_fault',
        detail: `Failing row contains (1, ${secret}).`,
      },
    );

  it('keep class, code, table and constraint of a database error, and its stack frames, but no statement, value or row', () => {
    for (const error of [
      new DriverException(sqliteLike()),
      new CheckConstraintViolationException(pgLike()),
      sqliteLike(),
      pgLike(),
    ]) {
      const logged = safeError(error) as Record<string, string>;
      expect(JSON.stringify(logged)).not.toContain('draft answer');
      expect(JSON.stringify(logged)).not.toContain('update');
      expect(logged.code).toMatch(/^(SQLITE_CONSTRAINT_CHECK|23514)$/);
      expect(logged.stack).toContain('\n    at ');
    }
    expect(safeError(new CheckConstraintViolationException(pgLike())) as Record<string, string>).toEqual(
      jasmine.objectContaining({
        type: 'CheckConstraintViolationException',
        table: 'answers',
        constraint: 'answers_no_fault',
      }),
    );
    expect((safeError(sqliteLike()) as Record<string, string>).constraint).toBe('CHECK: answers_no_fault');
  });

  it('stay safe when a library serialized the error first (pino-http does), and in a cause', () => {
    const serialized = pino.stdSerializers.err(new DriverException(sqliteLike()));
    expect(JSON.stringify(safeError(serialized))).not.toContain('draft answer');
    const wrapped = new Error('could not save', { cause: new CheckConstraintViolationException(pgLike()) });
    const logged = safeError(wrapped) as Record<string, unknown>;
    expect(logged.message).toBe('could not save');
    expect(JSON.stringify(logged)).not.toContain('draft answer');
  });

  it('keep an ordinary error whole', () => {
    const logged = safeError(new TypeError('x is not a function')) as Record<string, string>;
    expect(logged).toEqual(jasmine.objectContaining({ type: 'TypeError', message: 'x is not a function' }));
    expect(logged.stack).toContain('TypeError: x is not a function');
  });
});
