import type { EntityManager } from '@mikro-orm/core';
import { BadUserInputError } from '../../common/errors';
import { hashPassword } from '../auth/passwords';
import { User } from './user.entity';
import type { UserInput } from './user.inputs';

export class UserService {
  /** Create or update people by login (the student information system's feed); a password only when given. */
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
    }
    const existing = new Map((await em.find(User, { login: { $in: logins } })).map((u) => [u.login, u]));
    const users: User[] = [];
    for (const input of inputs) {
      const login = input.login.trim();
      const user = existing.get(login) ?? em.create(User, { login, fullName: input.fullName.trim(), role: input.role });
      user.fullName = input.fullName.trim();
      user.role = input.role;
      if (input.password != null) user.passwordHash = await hashPassword(input.password);
      users.push(user);
    }
    await em.flush();
    return users;
  }
}
