import type { Routes } from '@angular/router';

/** Teachers (behind `teachersOnly`): their exams, grading the sent answers, the journal. */
export const teacherRoutes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'exams' },
  { path: 'exams', loadComponent: () => import('./my-exams/my-exams').then((m) => m.MyExams) },
  { path: 'exams/:examId', loadComponent: () => import('./grading/grading').then((m) => m.Grading) },
  { path: 'journal', loadComponent: () => import('./journal/journal').then((m) => m.Journal) },
  // issue 12: the appeals of the commissions the teacher sits on
  { path: 'appeals', loadComponent: () => import('./my-appeals/my-appeals').then((m) => m.MyAppeals) },
  {
    path: 'appeals/:appealId',
    loadComponent: () => import('./appeal-review/appeal-review').then((m) => m.AppealReview),
  },
];
