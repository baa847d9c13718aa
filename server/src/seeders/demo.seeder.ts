import type { EntityManager } from '@mikro-orm/core';
import { Answer, AnswerSendMode, AnswerStatus } from '../modules/answers/answer.entity';
import { hashPassword } from '../modules/auth/passwords';
import { AcademicYear, Discipline, Period } from '../modules/calendar/calendar.entity';
import { Exam, ExamFormat, ResultsRelease, TicketAssignment } from '../modules/exams/exam.entity';
import { recordEvent, SittingEventKind } from '../modules/audit/audit.service';
import { GradeChangeKind } from '../modules/grades/grade-change.entity';
import { recordGradeChange } from '../modules/grades/grade-history';
import { bandFor } from '../modules/grades/grade-scale';
import { Sitting } from '../modules/sittings/sitting.entity';
import { Ticket } from '../modules/tickets/ticket.entity';
import { Role, User } from '../modules/users/user.entity';
import { resultsOut } from '../modules/grades/grade-publication';
import { retakeCandidates, retakeFields } from '../modules/retakes/retake.service';
import { seedDemoAppeals } from './demo-appeals.seeder';

const MINUTE = 60_000;
const DEMO_PASSWORD = 'demo';

const QUESTIONS = [
  'Define a relational database normal form and give an example of 3NF.',
  'Explain the difference between a process and a thread.',
  'Describe the TCP three-way handshake.',
  'What is an index in a database and when does it slow writes down?',
  'Explain big-O notation with two examples.',
];

function ticketQuestions(n: number): string {
  return [1, 2, 3].map((q) => `${q}. ${QUESTIONS[(n + q) % QUESTIONS.length]}`).join('\n');
}

/**
 * The demo university, placed around the moment of seeding so every state of an
 * exam can be tried at once. Runs only on an empty database; returns what to print.
 */
export async function seedDemo(em: EntityManager, now = new Date()): Promise<string | null> {
  if ((await em.count(User, {})) > 0) return null;
  const hash = () => hashPassword(DEMO_PASSWORD);

  const staff = em.create(User, {
    login: 'staff',
    fullName: 'Айгүл Серікова (registrar)',
    role: Role.STAFF,
    passwordHash: await hash(),
  });
  const teacher = em.create(User, {
    login: 'teacher',
    fullName: 'Нұрлан Әбенов',
    role: Role.TEACHER,
    passwordHash: await hash(),
  });
  const teacher2 = em.create(User, {
    login: 'teacher2',
    fullName: 'Елена Ким',
    role: Role.TEACHER,
    passwordHash: await hash(),
  });
  const names = [
    'Әлия Нұрланқызы',
    'Арман Бекұлы',
    'Дана Сапарова',
    'Ерлан Жақсыбеков',
    'Жанна Оспанова',
    'Ильяс Тоқтаров',
    'Камила Әміржанова',
    'Лаура Маратқызы',
    'Мирас Қалиев',
    'Нұржан Ахметов',
  ];
  // each with its own salt; scrypt runs on the thread pool, so the hashes are made side by side
  const studentHashes = await Promise.all(Array.from({ length: 30 }, hash));
  const students = studentHashes.map((passwordHash, i) =>
    em.create(User, {
      login: `student${String(i + 1).padStart(2, '0')}`,
      fullName: `${names[i % names.length]}${i >= 10 ? ` ${Math.ceil((i + 1) / 10)}` : ''}`,
      role: Role.STUDENT,
      passwordHash,
    }),
  );

  const years = [
    {
      title: '2025-2026',
      startsOn: '2025-09-01',
      endsOn: '2026-06-30',
      periods: [
        ['2025-09-01', '2025-12-31'],
        ['2026-01-12', '2026-06-30'],
      ],
    },
    {
      title: '2026-2027',
      startsOn: '2026-09-01',
      endsOn: '2027-06-30',
      periods: [
        ['2026-09-01', '2026-12-31'],
        ['2027-01-11', '2027-06-30'],
      ],
    },
  ];
  const periods: Period[] = [];
  for (const y of years) {
    const year = em.create(AcademicYear, { title: y.title, startsOn: y.startsOn, endsOn: y.endsOn });
    y.periods.forEach(([startsOn, endsOn], i) =>
      periods.push(
        em.create(Period, { academicYear: year, number: i + 1, title: `${i + 1}-академиялық кезең`, startsOn, endsOn }),
      ),
    );
  }
  const today = now.toISOString().slice(0, 10);
  const period = periods.find((p) => p.startsOn <= today && today <= p.endsOn) ?? periods[periods.length - 1];

  const [databases, os, networks, algorithms, history] = [
    ['CSE-301', 'Деректер қорлары'],
    ['CSE-305', 'Операциялық жүйелер'],
    ['CSE-310', 'Компьютерлік желілер'],
    ['CSE-220', 'Алгоритмдер және деректер құрылымдары'],
    ['HIS-101', 'Қазақстанның қазіргі заман тарихы'],
  ].map(([code, title]) => em.create(Discipline, { code, title }));

  const at = (minutes: number) => new Date(now.getTime() + minutes * MINUTE);
  const exam = (
    fields: Partial<Exam> & Pick<Exam, 'discipline' | 'startsAt' | 'endsAt' | 'format'>,
    enrolled: User[],
    tickets = 0,
  ) => {
    const e = em.create(Exam, { period, teacher, ...fields });
    for (const student of enrolled) em.create(Sitting, { exam: e, student });
    for (let n = 1; n <= tickets; n++) em.create(Ticket, { exam: e, number: n, questions: ticketQuestions(n) });
    return e;
  };

  exam(
    {
      discipline: databases,
      startsAt: at(-10),
      endsAt: at(180),
      format: ExamFormat.TICKETS,
      ticketAssignment: TicketAssignment.STUDENT_CHOICE,
      platformName: 'Zoom',
      platformUrl: 'https://zoom.us/j/1234567890',
      platformLogin: '123 456 7890',
      platformPassword: 'exam2026',
      // issue 12: this one shows each grade as it is saved; the others publish their results together
      resultsRelease: ResultsRelease.AT_ONCE,
    },
    students,
    30,
  );
  exam(
    {
      discipline: os,
      startsAt: at(-5),
      endsAt: at(180),
      format: ExamFormat.TICKETS,
      ticketAssignment: TicketAssignment.RANDOM,
    },
    students.slice(0, 15),
    20,
  );
  exam(
    {
      discipline: networks,
      teacher: teacher2,
      startsAt: at(-15),
      endsAt: at(120),
      format: ExamFormat.TASK,
      taskText:
        'Design the addressing plan of a campus network with three faculties (IPv4 and IPv6), and justify the subnet sizes.',
      platformName: 'Microsoft Teams',
      platformUrl: 'https://teams.microsoft.com/l/meetup-join/demo',
    },
    students,
  );
  exam(
    {
      discipline: algorithms,
      startsAt: at(240),
      endsAt: at(360),
      format: ExamFormat.TICKETS,
      ticketAssignment: TicketAssignment.STUDENT_CHOICE,
    },
    students,
    30,
  );
  const finished = exam(
    {
      discipline: history,
      startsAt: at(-3 * 24 * 60),
      endsAt: at(-3 * 24 * 60 + 120),
      format: ExamFormat.TASK,
      taskText: 'Write an essay on the formation of independent Kazakhstan (1991–1995).',
      recordingUrl: 'https://video.example.edu.kz/recordings/his-101',
      recordingVisible: true,
    },
    [],
  );
  // student11's 45 (FX) is the demo retake's (seedRetakeDemo)
  students.slice(0, 11).forEach((student, i) => {
    const sentAt = at(-3 * 24 * 60 + 60 + i);
    const score = [96, 91, 86, 81, 77, 72, 66, 61, 52, 40, 45][i];
    const band = bandFor(score);
    const sitting = em.create(Sitting, {
      exam: finished,
      student,
      enteredAt: at(-3 * 24 * 60 + 1),
      lastSeenAt: sentAt,
      score,
      letter: band.letter,
      gpa: band.gpa,
      gradedAt: at(-2 * 24 * 60),
      gradedBy: teacher,
      gradeComment: 'Жақсы жұмыс.',
    });
    em.create(Answer, {
      sitting,
      text: `Essay of ${student.fullName}: independence was declared on 16 December 1991 …`,
      status: AnswerStatus.SUBMITTED,
      sendMode: AnswerSendMode.STUDENT,
      savedAt: sentAt,
      submittedAt: sentAt,
    });
  });

  await em.flush();
  await seedPublishedResults(em, finished, teacher, staff, at);
  await seedDemoAppeals(em);
  // after publication and the appeals: the retake takes the final published grades
  await seedRetakeDemo(em, now);
  // one line: it is logged as a JSON message like every other line
  return (
    'Seeded the demo university. Demo credentials (password for all: demo): ' +
    'staff — registrar staff; teacher — teacher (Деректер қорлары, Операциялық жүйелер, …); ' +
    'teacher2 — teacher (Компьютерлік желілер); student01 … student30 — students.'
  );
}

/**
 * issue 12: the finished exam's results, published by its teacher a day after grading (ON_PUBLICATION), each grade
 * with its history; one grade corrected by staff afterwards with a reason, so the journal has a history to show.
 */
async function seedPublishedResults(
  em: EntityManager,
  exam: Exam,
  teacher: User,
  staff: User,
  at: (minutes: number) => Date,
): Promise<void> {
  const publishedAt = at(-1 * 24 * 60);
  exam.resultsPublishedAt = publishedAt;
  exam.resultsPublishedBy = teacher;
  const sittings = await em.find(Sitting, { exam, score: { $ne: null } }, { orderBy: { score: 'desc' } });
  for (const sitting of sittings) {
    sitting.gradePublishedAt = publishedAt;
    recordGradeChange(em, { sitting, kind: GradeChangeKind.PUBLISHED, actor: teacher, at: publishedAt });
    recordEvent(
      em,
      sitting,
      SittingEventKind.GRADE_PUBLISHED,
      teacher,
      publishedAt,
      `${sitting.score} (${sitting.letter})`,
    );
  }
  const corrected = sittings.find((s) => s.score === 52);
  if (corrected) {
    const correctedAt = at(-12 * 60);
    const band = bandFor(56);
    Object.assign(corrected, { score: 56, letter: band.letter, gpa: band.gpa });
    const reason = '3-сұрақтың жауабы есептелмей қалған (the answer to question 3 was not counted).';
    recordGradeChange(em, {
      sitting: corrected,
      kind: GradeChangeKind.CORRECTED,
      previousScore: 52,
      reason,
      actor: staff,
      at: correctedAt,
    });
    recordEvent(em, corrected, SittingEventKind.GRADE_CORRECTED, staff, correctedAt, `52 → 56 (${band.letter})`);
  }
  await em.flush();
}

/**
 * issue 12 (E6): a retake scheduled a week on, for the FX students of the first finished exam whose results are out,
 * as staff create it. In the demo's HIS-101 that is student11 (45, FX); student10's 40 (FX) was raised to 55 on
 * appeal before it, so the retake, which takes the final published grade, leaves student10 out.
 */
async function seedRetakeDemo(em: EntityManager, now: Date): Promise<void> {
  const staff = await em.findOneOrFail(User, { role: Role.STAFF });
  const finished = await em.find(
    Exam,
    { endsAt: { $lt: now }, retakeOf: null },
    { populate: ['tickets', 'teacher'], orderBy: { startsAt: 'asc' } },
  );
  for (const exam of finished) {
    if (!resultsOut(exam, now)) continue;
    const { toEnrol } = await retakeCandidates(em, exam);
    if (!toEnrol.length) continue;
    // a week on, 10:00–12:00 in Almaty (05:00 UTC)
    const startsAt = new Date(now.getTime() + 7 * 24 * 60 * MINUTE);
    startsAt.setUTCHours(5, 0, 0, 0);
    const retake = em.create(
      Exam,
      retakeFields(exam, exam.teacher, startsAt, new Date(startsAt.getTime() + 120 * MINUTE)),
    );
    for (const ticket of exam.tickets)
      em.create(Ticket, { exam: retake, number: ticket.number, questions: ticket.questions });
    for (const sitting of toEnrol) {
      em.create(Sitting, { exam: retake, student: sitting.student });
      recordEvent(em, sitting, SittingEventKind.RETAKE_SCHEDULED, staff, now, startsAt.toISOString());
    }
    await em.flush();
    return;
  }
}
