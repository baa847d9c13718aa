import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/**
 * The head of an exam's screen (exam page, exam setup, live room, grading): the title with the discipline's code,
 * the lines projected under it (when, who, notes), and on the right what is projected with `pageActions`
 * (countdown and connection, a button).
 */
@Component({
  selector: 'app-page-header',
  template: `
    <header class="head">
      <div>
        <h1 class="title">
          {{ title() }}
          @if (code()) {
            <span class="code">{{ code() }}</span>
          }
        </h1>
        <ng-content />
      </div>
      <div class="actions">
        <ng-content select="[pageActions]" />
      </div>
    </header>
  `,
  styles: `
    .head {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-start;
      justify-content: space-between;
      gap: 12px;
      margin-bottom: 16px;
    }
    .title {
      font: var(--mat-sys-headline-small);
      margin: 0 0 4px;
    }
    .code {
      font: var(--mat-sys-title-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 12px;
    }
    .actions:empty {
      display: none;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PageHeader {
  readonly title = input.required<string>();
  /** the discipline's code beside the title */
  readonly code = input<string | null>(null);
}
