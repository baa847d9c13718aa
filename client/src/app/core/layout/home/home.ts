import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { RouterLink } from '@angular/router';
import { Session } from '../../auth/session';
import { I18n } from '../../i18n/i18n';

@Component({
  selector: 'app-home',
  imports: [MatButtonModule, MatCardModule, RouterLink],
  template: `
    @if (session.user(); as user) {
      <h1 class="title">{{ i18n.t('home.welcome', { name: user.fullName }) }}</h1>
      @if (user.role === 'STUDENT') {
        <p>{{ i18n.t('home.hint') }}</p>
        <a mat-flat-button routerLink="/attestation">{{ i18n.t('menu.intermediateAttestation') }}</a>
      } @else if (user.role === 'STAFF') {
        <p>{{ i18n.t('home.staffHint') }}</p>
        <a mat-flat-button routerLink="/staff/exams">{{ i18n.t('menu.staffExams') }}</a>
      } @else {
        <p>{{ i18n.t('home.teacherHint') }}</p>
        <a mat-flat-button routerLink="/teaching/exams">{{ i18n.t('menu.teacherExams') }}</a>
      }
    }
  `,
  styles: `
    .title {
      font: var(--mat-sys-headline-small);
      margin: 0 0 16px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Home {
  protected readonly i18n = inject(I18n);
  protected readonly session = inject(Session);
}
