import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { I18n } from '../../core/i18n/i18n';

/** One page of a server connection (issue 13): its rows, the list's total and where it ends. */
export interface ConnectionPage<T> {
  readonly totalCount: number;
  readonly pageInfo: { readonly endCursor?: string | null; readonly hasNextPage: boolean };
  readonly nodes: readonly T[];
}

/**
 * The rows of a server connection read a page at a time ("Show more"): `reset` starts again (a new filter or search),
 * `more` appends the next page, `all` reads the rest (an export holds every row). A reset while a page is on its way
 * drops that page.
 */
export class PagedList<T> {
  readonly items = signal<readonly T[]>([]);
  readonly total = signal(0);
  readonly hasMore = signal(false);
  readonly loading = signal(false);
  readonly error = signal<unknown>(null);
  private endCursor: string | null = null;
  private generation = 0;

  constructor(private readonly fetch: (after: string | null) => Promise<ConnectionPage<T> | null | undefined>) {}

  reset(): Promise<void> {
    this.generation++;
    this.items.set([]);
    this.total.set(0);
    this.hasMore.set(false);
    this.endCursor = null;
    return this.read(true);
  }

  more(): Promise<void> {
    return this.hasMore() && !this.loading() ? this.read(false) : Promise.resolve();
  }

  /** every row, the pages not read yet included */
  async all(): Promise<readonly T[]> {
    while (this.hasMore()) {
      const before = this.items().length;
      await this.read(false);
      if (this.error() || this.items().length === before) break;
    }
    return this.items();
  }

  private async read(first: boolean): Promise<void> {
    const generation = this.generation;
    this.loading.set(true);
    this.error.set(null);
    try {
      const page = await this.fetch(first ? null : this.endCursor);
      if (generation !== this.generation) return;
      this.items.set([...(first ? [] : this.items()), ...(page?.nodes ?? [])]);
      this.total.set(page?.totalCount ?? 0);
      this.hasMore.set(!!page?.pageInfo.hasNextPage);
      this.endCursor = page?.pageInfo.endCursor ?? null;
    } catch (error) {
      if (generation === this.generation) this.error.set(error);
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }
}

/** "12 of 240 shown · Show more" under a paged list. */
@Component({
  selector: 'app-load-more',
  imports: [MatButtonModule],
  template: `
    @if (total() > shown()) {
      <p class="more">
        <span>{{ i18n.t('paging.shownOf', { shown: shown(), n: total() }) }}</span>
        <button mat-stroked-button type="button" [disabled]="loading()" (click)="more.emit()" data-testid="load-more">
          {{ i18n.t('paging.showMore') }}
        </button>
      </p>
    }
  `,
  styles: `
    .more {
      display: flex;
      align-items: center;
      flex-wrap: wrap;
      gap: 12px;
      margin: 12px 0;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-body-medium);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoadMore {
  protected readonly i18n = inject(I18n);
  readonly shown = input.required<number>();
  readonly total = input.required<number>();
  readonly loading = input(false);
  readonly more = output<void>();
}
