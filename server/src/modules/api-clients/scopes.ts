import { registerEnumType } from 'type-graphql';

/**
 * What an API client may be allowed to do: the one list of scopes, each with what it opens. A client is a service
 * principal: it may use a field only when the field declares a scope (FIELD_SCOPES) and the client holds it.
 */
export enum ApiScope {
  USERS_READ = 'users:read',
  USERS_WRITE = 'users:write',
  CALENDAR_READ = 'calendar:read',
  EXAMS_READ = 'exams:read',
  EXAMS_WRITE = 'exams:write',
  GRADES_READ = 'grades:read',
  AUDIT_READ = 'audit:read',
  CALENDAR_WRITE = 'calendar:write',
  APPEALS_READ = 'appeals:read',
}

export const SCOPE_DESCRIPTIONS: Record<ApiScope, string> = {
  [ApiScope.USERS_READ]: 'read people (users)',
  [ApiScope.USERS_WRITE]: 'create and update people by login (upsertUsers)',
  [ApiScope.CALENDAR_READ]: 'read academic years, periods, disciplines and the non-working days',
  [ApiScope.EXAMS_READ]:
    'read exams with their tickets, sittings and platform, and follow a live exam (sittingChanged, examResync)',
  [ApiScope.EXAMS_WRITE]: 'create and change exams, their tickets, platform and recording',
  [ApiScope.GRADES_READ]:
    "read grades and their history (journal, Sitting.grade, Sitting.gradeHistory, an appeal's scores)",
  [ApiScope.AUDIT_READ]: "read a sitting's audit trail (Sitting.events, Appeal.trail)",
  [ApiScope.CALENDAR_WRITE]: 'keep the table of non-working days (addNonWorkingDay, removeNonWorkingDay)',
  [ApiScope.APPEALS_READ]:
    "read appeals with the student's reasons, and follow them (appeals, appeal, Sitting.appeal, appealChanged); never the answer",
};

registerEnumType(ApiScope, {
  name: 'ApiScope',
  description: 'What an API client may do; a field an API client uses names the scope it needs in its description.',
  valuesConfig: {
    USERS_READ: { description: `\`${ApiScope.USERS_READ}\`: ${SCOPE_DESCRIPTIONS[ApiScope.USERS_READ]}` },
    USERS_WRITE: { description: `\`${ApiScope.USERS_WRITE}\`: ${SCOPE_DESCRIPTIONS[ApiScope.USERS_WRITE]}` },
    CALENDAR_READ: { description: `\`${ApiScope.CALENDAR_READ}\`: ${SCOPE_DESCRIPTIONS[ApiScope.CALENDAR_READ]}` },
    EXAMS_READ: { description: `\`${ApiScope.EXAMS_READ}\`: ${SCOPE_DESCRIPTIONS[ApiScope.EXAMS_READ]}` },
    EXAMS_WRITE: { description: `\`${ApiScope.EXAMS_WRITE}\`: ${SCOPE_DESCRIPTIONS[ApiScope.EXAMS_WRITE]}` },
    GRADES_READ: { description: `\`${ApiScope.GRADES_READ}\`: ${SCOPE_DESCRIPTIONS[ApiScope.GRADES_READ]}` },
    AUDIT_READ: { description: `\`${ApiScope.AUDIT_READ}\`: ${SCOPE_DESCRIPTIONS[ApiScope.AUDIT_READ]}` },
    CALENDAR_WRITE: { description: `\`${ApiScope.CALENDAR_WRITE}\`: ${SCOPE_DESCRIPTIONS[ApiScope.CALENDAR_WRITE]}` },
    APPEALS_READ: { description: `\`${ApiScope.APPEALS_READ}\`: ${SCOPE_DESCRIPTIONS[ApiScope.APPEALS_READ]}` },
  },
});

export const ALL_SCOPES = Object.values(ApiScope);

/** Any API client may use the field (it tells nothing private). */
export const ANY_CLIENT = 'any-client' as const;
/** No API client may use the field, whatever its scopes (a person's own data, such as an answer's text). */
export const PEOPLE_ONLY = 'people-only' as const;

export type FieldAccess = ApiScope | typeof ANY_CLIENT | typeof PEOPLE_ONLY;

/**
 * Which fields API clients may use, in one place. Every root field (Query, Mutation, Subscription) that is not listed
 * is refused to clients (a new operation is closed until someone decides its scope); object fields are open to a client
 * that may reach them, except those listed here (private data). A person's session is not affected: roles decide.
 */
export const FIELD_SCOPES: Record<string, Record<string, FieldAccess>> = {
  Query: {
    serverTime: ANY_CLIENT,
    timeZone: ANY_CLIENT,
    answerLimits: ANY_CLIENT,
    users: ApiScope.USERS_READ,
    academicYears: ApiScope.CALENDAR_READ,
    disciplines: ApiScope.CALENDAR_READ,
    exams: ApiScope.EXAMS_READ,
    exam: ApiScope.EXAMS_READ,
    examDefaults: ApiScope.EXAMS_READ,
    journal: ApiScope.GRADES_READ,
    nonWorkingDays: ApiScope.CALENDAR_READ,
    appeals: ApiScope.APPEALS_READ,
    appeal: ApiScope.APPEALS_READ,
    // decided: a person's own, or managing API clients
    me: PEOPLE_ONLY,
    myExams: PEOPLE_ONLY,
    myJournal: PEOPLE_ONLY,
    myAppeals: PEOPLE_ONLY,
    apiClients: PEOPLE_ONLY,
  },
  Mutation: {
    upsertUsers: ApiScope.USERS_WRITE,
    createExam: ApiScope.EXAMS_WRITE,
    updateExam: ApiScope.EXAMS_WRITE,
    setPlatform: ApiScope.EXAMS_WRITE,
    setRecording: ApiScope.EXAMS_WRITE,
    addTicket: ApiScope.EXAMS_WRITE,
    updateTicket: ApiScope.EXAMS_WRITE,
    removeTicket: ApiScope.EXAMS_WRITE,
    removeExamFile: ApiScope.EXAMS_WRITE,
    addNonWorkingDay: ApiScope.CALENDAR_WRITE,
    removeNonWorkingDay: ApiScope.CALENDAR_WRITE,
    // decided: acts of a person whose name is on record (a grade's history, the trail, Exam.resultsPublishedBy, an
    // appeal's commission and decision), a student's own acts, the live room, and managing API clients
    gradeSitting: PEOPLE_ONLY,
    correctGrade: PEOPLE_ONLY,
    publishResults: PEOPLE_ONLY,
    fileAppeal: PEOPLE_ONLY,
    setAppealCommission: PEOPLE_ONLY,
    decideAppeal: PEOPLE_ONLY,
    createApiClient: PEOPLE_ONLY,
    revokeApiClient: PEOPLE_ONLY,
  },
  Subscription: {
    sittingChanged: ApiScope.EXAMS_READ,
    examResync: ApiScope.EXAMS_READ,
    appealChanged: ApiScope.APPEALS_READ,
  },
  Sitting: {
    answer: PEOPLE_ONLY,
    grade: ApiScope.GRADES_READ,
    gradeHistory: ApiScope.GRADES_READ,
    events: ApiScope.AUDIT_READ,
    appeal: ApiScope.APPEALS_READ,
  },
  JournalRow: {
    grade: ApiScope.GRADES_READ,
    gradeHistory: ApiScope.GRADES_READ,
  },
  Appeal: {
    // the case the commission reads: the answer stays a person's, as Sitting.answer; the rest needs its own scope
    answerText: PEOPLE_ONLY,
    answerFiles: PEOPLE_ONLY,
    currentScore: ApiScope.GRADES_READ,
    previousScore: ApiScope.GRADES_READ,
    newScore: ApiScope.GRADES_READ,
    trail: ApiScope.AUDIT_READ,
    ticketNumber: ApiScope.EXAMS_READ,
    questions: ApiScope.EXAMS_READ,
    questionFiles: ApiScope.EXAMS_READ,
    recordingUrl: ApiScope.EXAMS_READ,
  },
};

export const ROOT_TYPES = ['Query', 'Mutation', 'Subscription'] as const;
