import type { Routes } from '@angular/router';

/** Staff (behind `staffOnly`): prepare an exam, run it live, and keep the journal. */
export const staffRoutes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'exams' },
  { path: 'exams', loadComponent: () => import('./exams/exams').then((m) => m.Exams) },
  { path: 'exams/new', loadComponent: () => import('./exam-setup/exam-setup').then((m) => m.ExamSetup) },
  { path: 'exams/:examId', loadComponent: () => import('./exam-setup/exam-setup').then((m) => m.ExamSetup) },
  { path: 'exams/:examId/room', loadComponent: () => import('./live-room/live-room').then((m) => m.LiveRoom) },
  { path: 'journal', loadComponent: () => import('../teacher/journal/journal').then((m) => m.Journal) },
  // issue 12: appeals (?examId= for one exam's), and one appeal's case
  { path: 'appeals', loadComponent: () => import('./appeals/appeals').then((m) => m.StaffAppeals) },
  {
    path: 'appeals/:appealId',
    loadComponent: () => import('../teacher/appeal-review/appeal-review').then((m) => m.AppealReview),
  },
  { path: 'api-clients', loadComponent: () => import('./api-clients/api-clients').then((m) => m.ApiClients) },
  // issue 13: an examination period's exams from a CSV or XLSX file
  {
    path: 'schedule-import',
    loadComponent: () => import('./schedule-import/schedule-import').then((m) => m.ScheduleImport),
  },
  // issue 13: the university's people, searched on the server
  { path: 'users', loadComponent: () => import('./users/users').then((m) => m.Users) },
];
