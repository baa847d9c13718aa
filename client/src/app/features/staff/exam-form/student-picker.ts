import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, input, model, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatChipsModule } from '@angular/material/chips';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Apollo } from 'apollo-angular';
import { debounceTime, distinctUntilChanged, firstValueFrom, map } from 'rxjs';
import {
  PickerStudentsDocument,
  StudentsByLoginDocument,
  type StudentsByLoginQuery,
} from '../../../core/graphql/generated';
import { I18n } from '../../../core/i18n/i18n';
import { LoadMore, PagedList } from '../../../shared/paged-list/paged-list';

export interface PickableStudent {
  readonly id: string;
  readonly login: string;
  readonly fullName: string;
}

/** how long typing must pause before the picker asks the server */
export const SEARCH_DEBOUNCE_MS = 300;
/** students one page of results shows ("Show more" reads the next) */
export const PICKER_PAGE = 30;

/** Logins pasted from a spreadsheet or a message: separated by spaces, commas, semicolons or lines. */
export function parseLogins(pasted: string): string[] {
  return [
    ...new Set(
      pasted
        .split(/[\s,;]+/)
        .map((l) => l.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

/**
 * The enrolled students (issue 13): searched on the server as staff type (debounced, a page at a time), ticked in the
 * results or pasted as logins, and shown as chips. Students who have already begun cannot be removed.
 */
@Component({
  selector: 'app-student-picker',
  imports: [
    MatButtonModule,
    MatCheckboxModule,
    MatChipsModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    LoadMore,
  ],
  template: `
    <fieldset class="picker">
      <legend>
        {{ i18n.t('examForm.students') }}
        <span class="count" data-testid="enrolled-count">{{
          i18n.t('examForm.selectedN', { n: selected().size })
        }}</span>
      </legend>
      @if (chips().length) {
        <mat-chip-set class="chips" [attr.aria-label]="i18n.t('examForm.students')" data-testid="picked-students">
          @for (chip of chips(); track chip.id) {
            <mat-chip
              [removable]="!locked().has(chip.id)"
              (removed)="toggle(chip, false)"
              [attr.data-login]="chip.login"
            >
              {{ chip.fullName }}
              @if (!locked().has(chip.id)) {
                <button matChipRemove [attr.aria-label]="i18n.t('paging.removeStudent', { name: chip.fullName })">
                  <mat-icon svgIcon="close" />
                </button>
              }
            </mat-chip>
          }
        </mat-chip-set>
      }
      <div class="tools">
        <mat-form-field appearance="outline" subscriptSizing="dynamic" class="filter">
          <mat-label>{{ i18n.t('examForm.findStudent') }}</mat-label>
          <input
            matInput
            type="search"
            [value]="filter()"
            (input)="filter.set($any($event.target).value)"
            autocomplete="off"
            data-testid="find-student"
          />
        </mat-form-field>
        <button mat-button type="button" (click)="selectShown()">{{ i18n.t('examForm.selectShown') }}</button>
        <button mat-button type="button" (click)="clear()">{{ i18n.t('examForm.clear') }}</button>
      </div>
      @if (results.loading() || resolving()) {
        <mat-progress-bar mode="indeterminate" />
      }
      <ul class="list" [attr.aria-label]="i18n.t('paging.foundStudents')" data-testid="found-students">
        @for (student of results.items(); track student.id) {
          <li>
            <mat-checkbox
              [checked]="selected().has(student.id)"
              [disabled]="locked().has(student.id)"
              (change)="toggle(student, $event.checked)"
            >
              {{ student.fullName }} <span class="login">{{ student.login }}</span>
            </mat-checkbox>
          </li>
        } @empty {
          @if (!results.loading()) {
            <li class="none">{{ i18n.t('examForm.noStudentFound') }}</li>
          }
        }
      </ul>
      <app-load-more
        [shown]="results.items().length"
        [total]="results.total()"
        [loading]="results.loading()"
        (more)="results.more()"
      />
      <div class="paste">
        <mat-form-field appearance="outline" subscriptSizing="dynamic" class="logins">
          <mat-label>{{ i18n.t('examForm.pasteLogins') }}</mat-label>
          <textarea
            matInput
            rows="2"
            [value]="pasted()"
            (input)="pasted.set($any($event.target).value)"
            data-testid="paste-logins"
          ></textarea>
        </mat-form-field>
        <button
          mat-stroked-button
          type="button"
          [disabled]="!pasted().trim() || resolving()"
          (click)="addPasted()"
          data-testid="add-logins"
        >
          {{ i18n.t('examForm.addLogins') }}
        </button>
      </div>
      @if (pasteResult(); as result) {
        <p role="status" class="result" [class.warn]="result.unknown.length">
          {{ i18n.t('examForm.loginsAdded', { n: result.added }) }}
          @if (result.unknown.length) {
            {{ i18n.t('examForm.loginsUnknown', { logins: result.unknown.join(', ') }) }}
          }
        </p>
      }
      @if (failed() || results.error()) {
        <p role="alert" class="warn">{{ i18n.t('paging.searchFailed') }}</p>
      }
      @if (locked().size) {
        <p class="hint">{{ i18n.t('examForm.lockedHint') }}</p>
      }
    </fieldset>
  `,
  styles: `
    .picker {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
      padding: 8px 16px 12px;
      margin: 0;
    }
    legend {
      font: var(--mat-sys-title-small);
      padding: 0 4px;
    }
    .count {
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
      margin-inline-start: 8px;
    }
    .tools,
    .paste {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      margin: 8px 0;
    }
    .filter {
      flex: 1 1 220px;
    }
    .logins {
      flex: 1 1 320px;
    }
    .list {
      list-style: none;
      margin: 0;
      padding: 0;
      max-height: 280px;
      overflow-y: auto;
      columns: 2 260px;
    }
    .login {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
      margin-inline-start: 4px;
    }
    .none,
    .hint {
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-small);
    }
    .warn {
      color: var(--mat-sys-error);
    }
    .chips {
      max-height: 160px;
      overflow-y: auto;
      margin: 4px 0 8px;
    }
    .more {
      margin-top: 4px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StudentPicker {
  protected readonly i18n = inject(I18n);
  private readonly apollo = inject(Apollo);

  readonly selected = model.required<ReadonlySet<string>>();
  /** enrolled students who have already entered, chosen a ticket or answered */
  readonly locked = input<ReadonlySet<string>>(new Set());
  /** the students known before any search (the exam's enrolled ones), so their chips show names */
  readonly known = input<readonly PickableStudent[]>([]);

  protected readonly filter = signal('');
  protected readonly pasted = signal('');
  protected readonly pasteResult = signal<{ added: number; unknown: string[] } | null>(null);
  /** pasted logins being looked up */
  protected readonly resolving = signal(false);
  protected readonly failed = signal(false);
  /** the search as last sent (debounced) */
  private search = '';
  protected readonly results = new PagedList<PickableStudent>(async (after) => {
    const { data } = await firstValueFrom(
      this.apollo.query({
        query: PickerStudentsDocument,
        variables: { search: this.search || null, first: PICKER_PAGE, after },
        fetchPolicy: 'network-only',
      }),
    );
    this.remember(data?.usersConnection.nodes ?? []);
    return data?.usersConnection;
  });
  /** every student seen in results or pasted, by id (names for the chips) */
  private readonly seen = signal<ReadonlyMap<string, PickableStudent>>(new Map());

  protected readonly chips = computed(() => {
    const names = new Map([...this.known().map((s) => [s.id, s] as const), ...this.seen()]);
    return [...this.selected()]
      .map((id) => names.get(id) ?? { id, login: '', fullName: id })
      .sort((a, b) => a.fullName.localeCompare(b.fullName));
  });

  constructor() {
    toObservable(this.filter)
      .pipe(
        map((text) => text.trim()),
        debounceTime(SEARCH_DEBOUNCE_MS),
        distinctUntilChanged(),
        takeUntilDestroyed(inject(DestroyRef)),
      )
      .subscribe((search) => {
        this.search = search;
        void this.results.reset();
      });
  }

  private remember(students: readonly PickableStudent[]): void {
    const next = new Map(this.seen());
    for (const student of students) next.set(student.id, student);
    this.seen.set(next);
  }

  protected toggle(student: PickableStudent, on: boolean): void {
    const next = new Set(this.selected());
    if (on) next.add(student.id);
    else if (!this.locked().has(student.id)) next.delete(student.id);
    this.selected.set(next);
  }

  protected selectShown(): void {
    this.selected.set(new Set([...this.selected(), ...this.results.items().map((s) => s.id)]));
  }

  protected clear(): void {
    this.selected.set(new Set([...this.selected()].filter((id) => this.locked().has(id))));
  }

  private async byLogins(logins: string[], after: string | null): Promise<StudentsByLoginQuery['usersConnection']> {
    const { data } = await firstValueFrom(
      this.apollo.query({ query: StudentsByLoginDocument, variables: { logins, after }, fetchPolicy: 'network-only' }),
    );
    if (!data) throw new Error('no page');
    return data.usersConnection;
  }

  /** the pasted logins, looked up on the server (page by page), added; the unknown ones listed */
  protected async addPasted(): Promise<void> {
    const logins = parseLogins(this.pasted());
    const found: PickableStudent[] = [];
    this.resolving.set(true);
    try {
      let after: string | null = null;
      do {
        const page: StudentsByLoginQuery['usersConnection'] = await this.byLogins(logins, after);
        found.push(...page.nodes);
        after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null;
      } while (after);
    } catch {
      this.resolving.set(false);
      this.failed.set(true);
      return;
    }
    this.resolving.set(false);
    this.failed.set(false);
    this.remember(found);
    const byLogin = new Map(found.map((s) => [s.login.toLowerCase(), s.id]));
    const next = new Set(this.selected());
    const unknown: string[] = [];
    let added = 0;
    for (const login of logins) {
      const id = byLogin.get(login);
      if (!id) unknown.push(login);
      else if (!next.has(id)) {
        next.add(id);
        added++;
      }
    }
    this.selected.set(next);
    this.pasteResult.set({ added, unknown });
    if (!unknown.length) this.pasted.set('');
  }
}
