/** GraphQL over fetch: what staff and teachers do through the API while a student's page is open. */
interface ApiUser {
  readonly id: string;
  readonly login: string;
  readonly fullName: string;
  readonly role: 'STUDENT' | 'TEACHER' | 'STAFF';
}

export interface SignedIn {
  readonly token: string;
  readonly user: ApiUser;
}

export class GraphQLRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export class Api {
  constructor(readonly url: string) {}

  async call<T>(token: string | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as {
      data?: T;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    if (body.errors?.length)
      throw new GraphQLRefusal(body.errors[0].extensions?.code ?? 'UNKNOWN', body.errors[0].message);
    return body.data as T;
  }

  async login(login: string): Promise<SignedIn> {
    const data = await this.call<{ login: SignedIn }>(
      null,
      'mutation($l:String!,$p:String!){login(login:$l,password:$p){token user{id login fullName role}}}',
      { l: login, p: 'demo' },
    );
    return data.login;
  }

  async currentPeriodId(token: string): Promise<string> {
    const data = await this.call<{
      serverTime: string;
      academicYears: { periods: { id: string; startsOn: string; endsOn: string }[] }[];
    }>(token, '{ serverTime academicYears { periods { id startsOn endsOn } } }');
    const today = data.serverTime.slice(0, 10);
    const periods = data.academicYears.flatMap((y) => y.periods);
    return (periods.find((p) => p.startsOn <= today && today <= p.endsOn) ?? periods[0]).id;
  }

  /** the demo exam of a discipline (by code), as staff see it */
  async examByCode(staffToken: string, code: string): Promise<{ id: string; startsAt: string; endsAt: string }> {
    const periodId = await this.currentPeriodId(staffToken);
    const data = await this.call<{
      exams: { id: string; startsAt: string; endsAt: string; discipline: { code: string } }[];
    }>(staffToken, 'query($p:ID!){ exams(periodId:$p) { id startsAt endsAt discipline { code } } }', { p: periodId });
    const exam = data.exams.find((e) => e.discipline.code === code);
    if (!exam) throw new Error(`no demo exam for ${code}`);
    return exam;
  }

  async releaseQuestions(staffToken: string, examId: string, studentIds: string[]): Promise<void> {
    await this.call(staffToken, 'mutation($e:ID!,$s:[ID!]){ releaseQuestions(examId:$e, studentIds:$s) { id } }', {
      e: examId,
      s: studentIds,
    });
  }

  /** staff attach a file to the ticket a student holds (R5.4) */
  async attachToStudentsTicket(
    staffToken: string,
    examId: string,
    studentId: string,
    name: string,
    content: string,
  ): Promise<void> {
    const data = await this.call<{ exam: { tickets: { id: string; takenBy: { id: string } | null }[] } }>(
      staffToken,
      'query($e:ID!){ exam(id:$e) { tickets { id takenBy { id } } } }',
      { e: examId },
    );
    const ticket = data.exam.tickets.find((t) => t.takenBy?.id === studentId);
    if (!ticket) throw new Error('the student holds no ticket');
    const form = new FormData();
    form.append('file', new Blob([content], { type: 'text/plain' }), name);
    const response = await fetch(`${this.url}/files/tickets/${ticket.id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${staffToken}` },
      body: form,
    });
    if (response.status !== 201)
      throw new Error(`ticket upload refused: HTTP ${response.status} ${await response.text()}`);
  }

  async myAnswer(
    studentToken: string,
    examId: string,
  ): Promise<{ text: string; status: string; files: { name: string }[] } | null> {
    const data = await this.call<{
      exam: { mySitting: { answer: { text: string; status: string; files: { name: string }[] } | null } };
    }>(studentToken, 'query($e:ID!){ exam(id:$e) { mySitting { answer { text status files { name } } } } }', {
      e: examId,
    });
    return data.exam.mySitting.answer;
  }

  async sittingId(studentToken: string, examId: string): Promise<string> {
    const data = await this.call<{ exam: { mySitting: { id: string } } }>(
      studentToken,
      'query($e:ID!){ exam(id:$e) { mySitting { id } } }',
      { e: examId },
    );
    return data.exam.mySitting.id;
  }

  /** a task exam of our own, for the end-time specs; `options`: the drafts sent at the end or not, and by whom it is graded */
  async createTaskExam(
    staffToken: string,
    studentIds: string[],
    startsAt: Date,
    endsAt: Date,
    options: { autoSendAtEnd?: boolean; teacherLogin?: string } = {},
  ): Promise<string> {
    const periodId = await this.currentPeriodId(staffToken);
    const refs = await this.call<{ disciplines: { id: string }[]; users: { id: string; login: string }[] }>(
      staffToken,
      '{ disciplines { id } users(role: TEACHER) { id login } }',
    );
    const teacher = refs.users.find((t) => t.login === options.teacherLogin) ?? refs.users[0];
    const data = await this.call<{ createExam: { id: string } }>(
      staffToken,
      'mutation($i:ExamInput!){ createExam(input:$i) { id } }',
      {
        i: {
          periodId,
          disciplineId: refs.disciplines[0].id,
          teacherId: teacher.id,
          studentIds,
          format: 'TASK',
          startsAt: startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
          taskText: 'Explain the rules of an online exam in your own words.',
          ...(options.autoSendAtEnd === undefined ? {} : { autoSendAtEnd: options.autoSendAtEnd }),
        },
      },
    );
    return data.createExam.id;
  }
}
