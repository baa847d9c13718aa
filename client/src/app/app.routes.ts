import type { Routes } from '@angular/router';
import { signedIn, studentsOnly } from './core/auth/auth-guard';

export const routes: Routes = [
  { path: 'login', loadComponent: () => import('./core/auth/login/login').then((m) => m.Login) },
  {
    path: '',
    canActivate: [signedIn],
    loadComponent: () => import('./core/layout/shell').then((m) => m.Shell),
    children: [
      { path: '', pathMatch: 'full', loadComponent: () => import('./core/layout/home/home').then((m) => m.Home) },
      // R1.1: «Онлайн аттестаттау» → «Аралық аттестаттау»
      { path: 'attestation', canActivate: [studentsOnly], loadChildren: () => import('./features/student/student.routes').then((m) => m.studentRoutes) },
    ],
  },
  { path: '**', redirectTo: '' },
];
