import { inject } from '@angular/core';
import { type CanActivateFn, type CanMatchFn, Router } from '@angular/router';
import type { Role } from '../graphql/generated';
import { Session } from './session';

/** Pages behind the login: an anonymous visitor goes to the login page and comes back afterwards. */
export const signedIn: CanActivateFn = (_route, state) => {
  const session = inject(Session);
  if (session.user()) return true;
  return inject(Router).createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};

/** The student's screens; staff and teachers land on the home page instead. */
export const studentsOnly: CanActivateFn = () => {
  if (inject(Session).user()?.role === 'STUDENT') return true;
  return inject(Router).createUrlTree(['/']);
};

/** Only this role's screens match; anyone else lands on the home page, and the lazy code is never even fetched. */
function onlyFor(role: Role): CanMatchFn {
  return () => (inject(Session).user()?.role === role ? true : inject(Router).createUrlTree(['/']));
}

/** Preparing and running exams, the journal of every discipline. */
export const staffOnly: CanMatchFn = onlyFor('STAFF');

/** Grading one's own exams, their journal. */
export const teachersOnly: CanMatchFn = onlyFor('TEACHER');
