import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { map } from 'rxjs';
import { Auth } from '../auth/auth';
import { Session } from '../auth/session';
import type { Role } from '../graphql/generated';
import { I18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/kk';
import { LanguageSwitch } from './language-switch';

interface MenuItem {
  readonly link: string;
  readonly label: MessageKey;
}

/** each role's part of the main menu, under "Online attestation" */
const ROLE_MENUS: Record<Role, readonly MenuItem[]> = {
  STUDENT: [
    { link: '/attestation', label: 'menu.intermediateAttestation' },
    { link: '/journal', label: 'menu.journal' },
  ],
  STAFF: [
    { link: '/staff/exams', label: 'menu.staffExams' },
    { link: '/staff/journal', label: 'menu.journal' },
    { link: '/staff/appeals', label: 'menu.appeals' },
    { link: '/staff/api-clients', label: 'menu.apiClients' },
    { link: '/staff/schedule-import', label: 'scheduleImport.menu' },
    { link: '/staff/users', label: 'paging.users.menu' },
  ],
  TEACHER: [
    { link: '/teaching/exams', label: 'menu.teacherExams' },
    { link: '/teaching/journal', label: 'menu.journal' },
    { link: '/teaching/appeals', label: 'menu.appeals' },
  ],
};

/** The signed-in frame: toolbar, the main menu (R1.1) and the page. */
@Component({
  selector: 'app-shell',
  imports: [
    MatButtonModule,
    MatIconModule,
    MatListModule,
    MatSidenavModule,
    MatToolbarModule,
    RouterLink,
    RouterLinkActive,
    RouterOutlet,
    LanguageSwitch,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  protected readonly i18n = inject(I18n);
  protected readonly session = inject(Session);
  private readonly auth = inject(Auth);

  protected readonly roleMenu = computed(() => {
    const role = this.session.user()?.role;
    return role ? ROLE_MENUS[role] : [];
  });

  /** the menu stays open beside the page on wide screens and slides over it on phones */
  protected readonly wide = toSignal(
    inject(BreakpointObserver)
      .observe('(min-width: 960px)')
      .pipe(map((state) => state.matches)),
    { initialValue: true },
  );

  protected logout(): void {
    void this.auth.logout();
  }
}
