import type { EntityManager } from '@mikro-orm/core';
import { BadUserInputError, ExternalIdClashError } from '../../common/errors';
import { hashPassword } from '../auth/passwords';
import { User } from './user.entity';
import type { UserInput } from './user.inputs';
import type { SessionCache } from '../auth/session-cache';

export class UserService {
  constructor(private readonly sessions: SessionCache) {}

  /**
   * Create or update people (the student information system's feed): by external id when given, else by login; a
   * password only when given. An external id stays with one login: one that belongs to another login, or a login that
   * already has another, is refused (EXTERNAL_ID_CLASH) and nothing is written. Sessions see the change at once.
   */
  async upsert(em: EntityManager, inputs: UserInput[]): Promise<User[]> {
    if (inputs.length > 5000) throw new BadUserInputError('Send at most 5000 people at once.');
    const logins = inputs.map((u) => u.login.trim());
    if (new Set(logins).size !== logins.length)
      throw new BadUserInputError('Each login may appear only once in one request.');
    for (const input of inputs) {
      if (!/^[\w.@-]{2,100}$/.test(input.login.trim()))
        throw new BadUserInputError(`"${input.login}" is not a valid login (2–100 letters, digits, . _ @ -).`);
      if (!input.fullName.trim()) throw new BadUserInputError(`The full name of ${input.login} is empty.`);
      if (input.fullName.trim().length > 300)
        throw new BadUserInputError(`The full name of ${input.login} is longer than 300 characters.`);
      if (input.password != null && input.password.length < 4)
        throw new BadUserInputError(`The password of ${input.login} is shorter than 4 characters.`);
      if ((input.externalId?.trim().length ?? 0) > 100)
        throw new BadUserInputError(`The external id of ${input.login} is longer than 100 characters.`);
    }
    const externalIds = inputs.map((u) => u.externalId?.trim()).filter((id): id is string => !!id);
    if (new Set(externalIds).size !== externalIds.length)
      throw new BadUserInputError('Each external id may appear only once in one request.');
    const existing = new Map((await em.find(User, { login: { $in: logins } })).map((u) => [u.login, u]));
    const byExternalId = new Map(
      (externalIds.length ? await em.find(User, { externalId: { $in: externalIds } }) : []).map((u) => [
        u.externalId!,
        u,
      ]),
    );
    for (const input of inputs) {
      const externalId = input.externalId?.trim();
      if (!externalId) continue;
      const login = input.login.trim();
      const owner = byExternalId.get(externalId);
      if (owner && owner.login !== login)
        throw new ExternalIdClashError(
          `The external id "${externalId}" belongs to the login "${owner.login}", not "${login}"; send that login or another id.`,
          externalId,
          login,
        );
      const held = existing.get(login)?.externalId;
      if (!owner && held && held !== externalId)
        throw new ExternalIdClashError(
          `The login "${login}" already has the external id "${held}", not "${externalId}".`,
          externalId,
          login,
        );
    }
    const users: User[] = [];
    for (const input of inputs) {
      const login = input.login.trim();
      const user = existing.get(login) ?? em.create(User, { login, fullName: input.fullName.trim(), role: input.role });
      user.fullName = input.fullName.trim();
      user.role = input.role;
      if (input.externalId?.trim()) user.externalId = input.externalId.trim();
      if (input.password != null) user.passwordHash = await hashPassword(input.password);
      users.push(user);
    }
    await em.flush();
    // a session carries its person's name and role: every instance reads them again
    await this.sessions.usersChanged();
    return users;
  }
}
