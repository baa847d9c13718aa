import type { Routes } from '@angular/router';

export const studentRoutes: Routes = [
  { path: '', loadComponent: () => import('./exam-list/exam-list').then((m) => m.ExamList) },
  { path: ':examId', loadComponent: () => import('./exam-page/exam-page').then((m) => m.ExamPage) },
];
