import { Role } from '../modules/users/user.entity';

/** The cast of the policy specs' tables: one of each role, the exam's own teacher and a teacher of another exam. */
export const staff = { id: 'staff-1', role: Role.STAFF };
export const ownTeacher = { id: 'teacher-1', role: Role.TEACHER };
export const otherTeacher = { id: 'teacher-2', role: Role.TEACHER };
export const student = { id: 'student-1', role: Role.STUDENT };
export const otherStudent = { id: 'student-2', role: Role.STUDENT };

export const startsAt = new Date('2026-06-01T09:00:00Z');
export const endsAt = new Date('2026-06-01T11:00:00Z');
export const before = new Date('2026-06-01T08:59:59Z');
export const during = new Date('2026-06-01T09:00:00Z');
export const after = new Date('2026-06-01T12:00:00Z');

export const exam = { teacher: { id: ownTeacher.id }, startsAt, endsAt };
