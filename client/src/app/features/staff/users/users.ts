import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { Apollo } from 'apollo-angular';
import { debounceTime, distinctUntilChanged, firstValueFrom, map } from 'rxjs';
import { errorMessageKey } from '../../../core/graphql/errors';
import { type Role, UserPageDocument, type UserPageQuery } from '../../../core/graphql/generated';
import { I18n } from '../../../core/i18n/i18n';
import { LoadMore, PagedList } from '../../../shared/paged-list/paged-list';

type Person = UserPageQuery['usersConnection']['nodes'][number];

/** people one page reads */
export const USERS_PAGE = 50;
/** how long typing must pause before the list searches */
export const USERS_SEARCH_DEBOUNCE_MS = 300;

/** Staff: the university's people (issue 13), searched by name or login on the server, by role, a page at a time. */
@Component({
  selector: 'app-users',
  imports: [MatFormFieldModule, MatInputModule, MatProgressBarModule, MatSelectModule, LoadMore],
  template: `
    <h1 class="title">{{ i18n.t('paging.users.title') }}</h1>
    <section class="filters" [attr.aria-label]="i18n.t('list.filters')">
      <mat-form-field appearance="outline" class="search">
        <mat-label>{{ i18n.t('paging.users.search') }}</mat-label>
        <input
          matInput
          type="search"
          [value]="search()"
          (input)="search.set($any($event.target).value)"
          autocomplete="off"
          data-testid="users-search"
        />
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>{{ i18n.t('paging.users.role') }}</mat-label>
        <mat-select [value]="role()" (valueChange)="role.set($event)" data-testid="users-role">
          <mat-option value="">{{ i18n.t('paging.users.allRoles') }}</mat-option>
          @for (r of roles; track r) {
            <mat-option [value]="r">{{ roleLabel(r) }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
    </section>
    @if (people.loading()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="i18n.t('app.loading')" />
    }
    @if (error(); as key) {
      <p class="error" role="alert">{{ i18n.t(key) }}</p>
    }
    <p class="count" data-testid="users-count">{{ i18n.t('paging.users.count', { n: people.total() }) }}</p>
    @if (people.items().length) {
      <table class="people" data-testid="users">
        <thead>
          <tr>
            <th scope="col">{{ i18n.t('paging.users.name') }}</th>
            <th scope="col">{{ i18n.t('paging.users.login') }}</th>
            <th scope="col">{{ i18n.t('paging.users.role') }}</th>
          </tr>
        </thead>
        <tbody>
          @for (person of people.items(); track person.id) {
            <tr>
              <td>{{ person.fullName }}</td>
              <td class="login">{{ person.login }}</td>
              <td>{{ roleLabel(person.role) }}</td>
            </tr>
          }
        </tbody>
      </table>
      <app-load-more
        [shown]="people.items().length"
        [total]="people.total()"
        [loading]="people.loading()"
        (more)="people.more()"
      />
    } @else if (!people.loading() && !error()) {
      <p class="empty">{{ i18n.t('paging.users.none') }}</p>
    }
  `,
  styles: `
    .title {
      font: var(--mat-sys-headline-small);
      margin: 0 0 8px;
    }
    .filters {
      display: flex;
      flex-wrap: wrap;
      gap: 12px;
    }
    .search {
      flex: 1 1 280px;
      max-width: 480px;
    }
    .people {
      border-collapse: collapse;
      width: 100%;
      max-width: 960px;
    }
    .people th,
    .people td {
      text-align: start;
      padding: 6px 10px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .people th {
      font: var(--mat-sys-label-large);
      color: var(--mat-sys-on-surface-variant);
    }
    .login,
    .count,
    .empty {
      color: var(--mat-sys-on-surface-variant);
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Users {
  private readonly apollo = inject(Apollo);
  protected readonly i18n = inject(I18n);
  protected readonly roles: readonly Role[] = ['STUDENT', 'TEACHER', 'STAFF'];

  protected readonly search = signal('');
  protected readonly role = signal<Role | ''>('');
  private readonly searched = toSignal(
    toObservable(this.search).pipe(
      map((text) => text.trim()),
      debounceTime(USERS_SEARCH_DEBOUNCE_MS),
      distinctUntilChanged(),
    ),
    { initialValue: '' },
  );
  private readonly asked = computed(() => ({ search: this.searched() || null, role: this.role() || null }));
  protected readonly people = new PagedList<Person>(async (after) => {
    const { data } = await firstValueFrom(
      this.apollo.query({
        query: UserPageDocument,
        variables: { ...this.asked(), first: USERS_PAGE, after },
        fetchPolicy: 'network-only',
      }),
    );
    return data?.usersConnection;
  });
  protected readonly error = computed(() => (this.people.error() ? errorMessageKey(this.people.error()) : null));

  protected roleLabel(role: Role): string {
    return this.i18n.t(`paging.role.${role}`);
  }

  constructor() {
    toObservable(this.asked)
      .pipe(takeUntilDestroyed(inject(DestroyRef)))
      .subscribe(() => void this.people.reset());
  }
}
