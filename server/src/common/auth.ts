import { createParameterDecorator, type AuthChecker } from 'type-graphql';
import type { Context } from '../context';
import type { Role, User } from '../modules/users/user.entity';
import { ForbiddenError, UnauthenticatedError } from './errors';

export function requireUser(ctx: Pick<Context, 'user'>): User {
  if (!ctx.user) throw new UnauthenticatedError('Please sign in: this needs a valid session token.');
  return ctx.user;
}

export function requireRole(ctx: Pick<Context, 'user'>, ...roles: Role[]): User {
  const user = requireUser(ctx);
  if (!roles.includes(user.role)) {
    throw new ForbiddenError(`Only ${roles.map((r) => r.toLowerCase()).join(' or ')} users may do this.`);
  }
  return user;
}

/** `@Authorized()` and `@Authorized(Role.STAFF)`: signed in, and in one of the roles when roles are given. */
export const authChecker: AuthChecker<Context, Role> = ({ context }: { context: Context }, roles: Role[]) => {
  if (roles.length === 0) requireUser(context);
  else requireRole(context, ...roles);
  return true;
};

export function CurrentUser() {
  return createParameterDecorator<Context>(({ context }) => requireUser(context));
}
