import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  linkedSignal,
  type Signal,
  type WritableSignal,
} from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { Apollo } from 'apollo-angular';
import { map } from 'rxjs';
import { errorMessageKey } from '../../core/graphql/errors';
import { CalendarYearsDocument, type CalendarYearsQuery } from '../../core/graphql/generated';
import { ServerClock } from '../../core/graphql/server-clock';
import { I18n } from '../../core/i18n/i18n';
import type { MessageKey } from '../../core/i18n/kk';

type CalendarYear = CalendarYearsQuery['academicYears'][number];
type CalendarPeriod = CalendarYear['periods'][number];

/** The calendar day (YYYY-MM-DD) of an instant in the university's zone. */
export function dayIn(timeZone: string, at: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(at),
  );
}

/** The year holding today, else the latest one (the server lists the latest first). */
function yearOf(years: readonly CalendarYear[], today: string): CalendarYear | undefined {
  return years.find((y) => y.startsOn <= today && today <= y.endsOn) ?? years[0];
}

/** The period holding today; between periods the one that comes next (or the last), or '' when all may be chosen. */
function periodOf(year: CalendarYear | undefined, today: string, allowAll: boolean): string {
  const periods = year?.periods ?? [];
  const current = periods.find((p) => p.startsOn <= today && today <= p.endsOn);
  if (current || allowAll) return current?.id ?? '';
  return (periods.find((p) => today < p.startsOn) ?? periods[periods.length - 1])?.id ?? '';
}

export interface PeriodChoice {
  readonly years: Signal<readonly CalendarYear[]>;
  readonly loading: Signal<boolean>;
  readonly error: Signal<MessageKey | null>;
  readonly yearId: WritableSignal<string>;
  readonly year: Signal<CalendarYear | undefined>;
  /** '' means every period of the year (only when allowAll) */
  readonly periodId: WritableSignal<string>;
  readonly period: Signal<CalendarPeriod | undefined>;
  readonly allowAll: boolean;
  reload(): void;
}

/**
 * The academic year and period a page shows, defaulting to today's (in the university's zone).
 * Call in an injection context; pass the result to `<app-period-filter>`.
 */
export function periodChoice(options: { allowAll?: boolean; periodId?: () => string | undefined } = {}): PeriodChoice {
  const apollo = inject(Apollo);
  const clock = inject(ServerClock);
  const allowAll = options.allowAll ?? false;
  const resource = rxResource({
    stream: () => apollo.query({ query: CalendarYearsDocument }).pipe(map((r) => r.data?.academicYears ?? [])),
  });
  const years = computed(() => (resource.hasValue() ? resource.value() : []));
  const today = computed(() => dayIn(clock.timeZone(), clock.now()));
  /** a period asked for by the page (e.g. from the address), if it exists */
  const wanted = computed(() => {
    const id = options.periodId?.();
    return id ? years().find((y) => y.periods.some((p) => p.id === id)) : undefined;
  });
  const yearId = linkedSignal(() => (wanted() ?? yearOf(years(), today()))?.id ?? '');
  const year = computed(() => years().find((y) => y.id === yearId()));
  const periodId = linkedSignal(() => {
    const id = options.periodId?.();
    return id && year()?.periods.some((p) => p.id === id) ? id : periodOf(year(), today(), allowAll);
  });
  return {
    years,
    loading: resource.isLoading,
    error: computed(() => (resource.error() ? errorMessageKey(resource.error()) : null)),
    yearId,
    year,
    periodId,
    period: computed(() => year()?.periods.find((p) => p.id === periodId())),
    allowAll,
    reload: () => resource.reload(),
  };
}

/** «Оқу жылы» and «Академиялық кезең» selects over a PeriodChoice. */
@Component({
  selector: 'app-period-filter',
  imports: [MatFormFieldModule, MatSelectModule],
  template: `
    <mat-form-field appearance="outline">
      <mat-label>{{ i18n.t('list.year') }}</mat-label>
      <mat-select [value]="choice().yearId()" (valueChange)="choice().yearId.set($event)" data-testid="year-filter">
        @for (year of choice().years(); track year.id) {
          <mat-option [value]="year.id">{{ year.title }}</mat-option>
        }
      </mat-select>
    </mat-form-field>
    <mat-form-field appearance="outline">
      <mat-label>{{ i18n.t('list.period') }}</mat-label>
      <mat-select
        [value]="choice().periodId()"
        (valueChange)="choice().periodId.set($event)"
        data-testid="period-filter"
      >
        @if (choice().allowAll) {
          <mat-option value="">{{ i18n.t('list.allPeriods') }}</mat-option>
        }
        @for (period of choice().year()?.periods ?? []; track period.id) {
          <mat-option [value]="period.id">{{ i18n.t('list.periodN', { n: period.number }) }}</mat-option>
        }
      </mat-select>
    </mat-form-field>
  `,
  styles: `
    :host {
      display: contents;
    }
    mat-form-field {
      min-width: 200px;
    }
    mat-form-field:last-of-type {
      min-width: 260px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PeriodFilter {
  protected readonly i18n = inject(I18n);
  readonly choice = input.required<PeriodChoice>();
}
