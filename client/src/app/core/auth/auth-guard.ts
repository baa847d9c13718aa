import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
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
