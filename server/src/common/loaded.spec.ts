import { isLoaded, isPlainRead, plainRead } from './loaded';
import { Role, User } from '../modules/users/user.entity';

describe('plain reads (common/loaded.ts)', () => {
  const read = () => plainRead(User, { id: 'u1', login: 'u1', fullName: 'Student One', role: Role.STUDENT });

  it('are told apart from entities and from copies of them', () => {
    const plain = read();
    expect(isPlainRead(plain)).toBeTrue();
    expect(isLoaded(plain)).toBeTrue();
    expect(plain).toBeInstanceOf(User);
    expect(isPlainRead(new User())).toBeFalse();
    expect(isPlainRead({ ...plain })).toBeFalse();
    expect(isPlainRead(Object.assign(new User(), plain))).toBeFalse();
  });

  it('stay plain when a field is set, and show only their fields', () => {
    const plain = read();
    plain.fullName = 'Renamed';
    expect(isPlainRead(plain)).toBeTrue();
    expect(Object.keys(plain)).toEqual(['id', 'login', 'fullName', 'role']);
    expect(JSON.parse(JSON.stringify(plain))).toEqual({
      id: 'u1',
      login: 'u1',
      fullName: 'Renamed',
      role: Role.STUDENT,
    });
  });
});
