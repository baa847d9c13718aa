import type { Routes } from '@angular/router';
import { signedIn, staffOnly, studentsOnly, teachersOnly } from './core/auth/auth-guard';

export const routes: Routes = [
  { path: 'login', loadComponent: () => import('./core/auth/login/login').then((m) => m.Login) },
  {
    path: '',
    canActivate: [signedIn],
    loadComponent: () => import('./core/layout/shell').then((m) => m.Shell),
    children: [
      { path: '', pathMatch: 'full', loadComponent: () => import('./core/layout/home/home').then((m) => m.Home) },
      // R1.1: «Онлайн аттестаттау» → «Аралық аттестаттау»
      {
        path: 'attestation',
        canActivate: [studentsOnly],
        loadChildren: () => import('./features/student/student.routes').then((m) => m.studentRoutes),
      },
      // R7.7: the student's own grades
      {
        path: 'journal',
        canActivate: [studentsOnly],
        loadComponent: () => import('./features/student/my-journal/my-journal').then((m) => m.MyJournal),
      },
      // issue #4: staff prepare and run exams; teachers grade (the server refuses others anyway)
      {
        path: 'staff',
        canMatch: [staffOnly],
        loadChildren: () => import('./features/staff/staff.routes').then((m) => m.staffRoutes),
      },
      {
        path: 'teaching',
        canMatch: [teachersOnly],
        loadChildren: () => import('./features/teacher/teacher.routes').then((m) => m.teacherRoutes),
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
