import { ChangeDetectionStrategy, Component, computed, inject, input, model, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { I18n } from '../../../core/i18n/i18n';

export interface PickableStudent {
  readonly id: string;
  readonly login: string;
  readonly fullName: string;
}

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

/** The enrolled students: ticked in the list, or pasted as logins. Students who have already begun cannot be removed. */
@Component({
  selector: 'app-student-picker',
  imports: [MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatInputModule],
  template: `
    <fieldset class="picker">
      <legend>
        {{ i18n.t('examForm.students') }}
        <span class="count" data-testid="enrolled-count">{{
          i18n.t('examForm.selectedN', { n: selected().size })
        }}</span>
      </legend>
      <div class="tools">
        <mat-form-field appearance="outline" subscriptSizing="dynamic" class="filter">
          <mat-label>{{ i18n.t('examForm.findStudent') }}</mat-label>
          <input
            matInput
            type="search"
            [value]="filter()"
            (input)="filter.set($any($event.target).value)"
            autocomplete="off"
          />
        </mat-form-field>
        <button mat-button type="button" (click)="selectShown()">{{ i18n.t('examForm.selectShown') }}</button>
        <button mat-button type="button" (click)="clear()">{{ i18n.t('examForm.clear') }}</button>
      </div>
      <ul class="list" [attr.aria-label]="i18n.t('examForm.students')">
        @for (student of shown(); track student.id) {
          <li>
            <mat-checkbox
              [checked]="selected().has(student.id)"
              [disabled]="locked().has(student.id)"
              (change)="toggle(student.id, $event.checked)"
            >
              {{ student.fullName }} <span class="login">{{ student.login }}</span>
            </mat-checkbox>
          </li>
        } @empty {
          <li class="none">{{ i18n.t('examForm.noStudentFound') }}</li>
        }
      </ul>
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
          [disabled]="!pasted().trim()"
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
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StudentPicker {
  protected readonly i18n = inject(I18n);

  readonly students = input.required<readonly PickableStudent[]>();
  readonly selected = model.required<ReadonlySet<string>>();
  /** enrolled students who have already entered, chosen a ticket or answered */
  readonly locked = input<ReadonlySet<string>>(new Set());

  protected readonly filter = signal('');
  protected readonly pasted = signal('');
  protected readonly pasteResult = signal<{ added: number; unknown: string[] } | null>(null);

  protected readonly shown = computed(() => {
    const needle = this.filter().trim().toLocaleLowerCase();
    const all = this.students();
    return needle
      ? all.filter((s) => s.fullName.toLocaleLowerCase().includes(needle) || s.login.toLowerCase().includes(needle))
      : all;
  });

  protected toggle(id: string, on: boolean): void {
    const next = new Set(this.selected());
    if (on) next.add(id);
    else if (!this.locked().has(id)) next.delete(id);
    this.selected.set(next);
  }

  protected selectShown(): void {
    this.selected.set(new Set([...this.selected(), ...this.shown().map((s) => s.id)]));
  }

  protected clear(): void {
    this.selected.set(new Set([...this.selected()].filter((id) => this.locked().has(id))));
  }

  protected addPasted(): void {
    const byLogin = new Map(this.students().map((s) => [s.login.toLowerCase(), s.id]));
    const logins = parseLogins(this.pasted());
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
