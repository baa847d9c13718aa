import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { rxResource, toSignal } from '@angular/core/rxjs-interop';
import {
  type AbstractControl,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  type ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import { RETAKE_LETTER, retakeTimesProblem, type RetakeTimesProblem } from '@rules';
import { Apollo } from 'apollo-angular';
import { firstValueFrom, map } from 'rxjs';
import { errorMessageKey } from '../../../core/graphql/errors';
import { CreateRetakeDocument, RetakePanelDocument } from '../../../core/graphql/generated';
import { ServerClock } from '../../../core/graphql/server-clock';
import { I18n } from '../../../core/i18n/i18n';
import type { MessageKey } from '../../../core/i18n/kk';
import { Confirmation } from '../../../shared/confirm-dialog/confirm-dialog';
import { dayIn } from '../../../shared/period-filter/period-filter';
import { normalTime } from '../../../shared/zoned-time/zoned-time';
import { examTimes } from '../exam-form/exam-form';

const TIMES_PROBLEMS: Record<RetakeTimesProblem, MessageKey> = {
  END_NOT_AFTER_START: 'retakes.timesTooLong', // an end not after the start is the next day: never reached
  TOO_LONG: 'retakes.timesTooLong',
  STARTS_IN_PAST: 'retakes.timesPast',
  STARTS_BEFORE_ORIGINAL_ENDS: 'retakes.timesBeforeOriginal',
};

function timeOfDay(control: AbstractControl<string>): ValidationErrors | null {
  return normalTime(control.value) ? null : { timeOfDay: true };
}

/**
 * E6, staff on an exam's page: its retake links, and «Create retake for FX students (n)» — date, times and teacher,
 * then a confirmation naming the students, then the new retake's page.
 */
@Component({
  selector: 'app-retake',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, RouterLink],
  templateUrl: './retake.html',
  styleUrl: './retake.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Retake {
  private readonly apollo = inject(Apollo);
  private readonly router = inject(Router);
  private readonly clock = inject(ServerClock);
  private readonly confirmation = inject(Confirmation);
  protected readonly i18n = inject(I18n);

  readonly examId = input.required<string>();
  /** the grade that gives a retake, as the labels name it */
  protected readonly fx = RETAKE_LETTER;

  protected readonly panel = rxResource({
    params: () => this.examId(),
    stream: ({ params: examId }) =>
      this.apollo
        .query({ query: RetakePanelDocument, variables: { examId }, fetchPolicy: 'network-only' })
        .pipe(map((r) => r.data ?? null)),
  });
  protected readonly exam = computed(() => (this.panel.hasValue() ? (this.panel.value()?.exam ?? null) : null));
  protected readonly teachers = computed(() => (this.panel.hasValue() ? (this.panel.value()?.teachers ?? []) : []));
  protected readonly candidates = computed(() => this.exam()?.retakeCandidates ?? []);

  /** read the panel again: the exam's results were just published, so its FX students are known */
  reload(): void {
    this.panel.reload();
  }

  protected readonly open = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<MessageKey | null>(null);

  protected readonly form = inject(NonNullableFormBuilder).group({
    date: ['', [Validators.required, Validators.pattern(/^\d{4}-\d{2}-\d{2}$/)]],
    start: ['10:00', [Validators.required, timeOfDay]],
    end: ['12:00', [Validators.required, timeOfDay]],
    teacherId: [''],
  });
  private readonly value = toSignal(this.form.valueChanges, { initialValue: this.form.getRawValue() });
  protected readonly times = computed(() => {
    const v = this.value();
    return examTimes(v.date ?? '', v.start ?? '', v.end ?? '', this.clock.timeZone());
  });
  /** the server's rule (@rules), shown before asking it */
  protected readonly timesProblem = computed<MessageKey | null>(() => {
    const exam = this.exam();
    const { startsAt, endsAt } = this.times();
    if (!exam || Number.isNaN(startsAt) || Number.isNaN(endsAt)) return null;
    const problem = retakeTimesProblem(exam, startsAt, endsAt, this.clock.now());
    return problem ? TIMES_PROBLEMS[problem] : null;
  });

  protected start(): void {
    const exam = this.exam();
    if (!exam) return;
    const zone = this.clock.timeZone();
    // a week after the exam by default; staff pick the real date
    this.form.reset({
      date: dayIn(zone, Math.max(this.clock.now(), Date.parse(exam.endsAt)) + 7 * 24 * 3_600_000),
      start: '10:00',
      end: '12:00',
      teacherId: exam.teacher.id,
    });
    this.error.set(null);
    this.open.set(true);
  }

  protected async create(): Promise<void> {
    const exam = this.exam();
    if (!exam || this.busy()) return;
    if (this.form.invalid || this.timesProblem()) {
      this.form.markAllAsTouched();
      return;
    }
    const { startsAt, endsAt } = this.times();
    const students = this.candidates();
    const yes = await this.confirmation.ask({
      title: this.i18n.t('retakes.confirmTitle'),
      text: this.i18n.t('retakes.confirmText', {
        n: students.length,
        date: this.i18n.date(startsAt),
        start: this.i18n.time(startsAt),
        end: this.i18n.time(endsAt),
      }),
      confirm: this.i18n.t('retakes.confirm'),
      items: students.map((s) =>
        this.i18n.t('retakes.student', {
          name: s.student.fullName,
          login: s.student.login,
          score: s.grade?.score ?? '',
          letter: s.grade?.letter ?? '',
        }),
      ),
    });
    if (!yes) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      const teacherId = this.form.getRawValue().teacherId;
      const { data } = await firstValueFrom(
        this.apollo.mutate({
          mutation: CreateRetakeDocument,
          variables: {
            examId: exam.id,
            input: {
              startsAt: new Date(startsAt).toISOString(),
              endsAt: new Date(endsAt).toISOString(),
              teacherId: teacherId && teacherId !== exam.teacher.id ? teacherId : null,
            },
          },
        }),
      );
      if (data) await this.router.navigate(['/staff/exams', data.createRetake.id]);
    } catch (error) {
      this.error.set(errorMessageKey(error));
      this.panel.reload();
    } finally {
      this.busy.set(false);
    }
  }
}
