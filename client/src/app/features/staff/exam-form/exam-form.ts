import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  linkedSignal,
  output,
  signal,
  untracked,
} from '@angular/core';
import { rxResource, toSignal } from '@angular/core/rxjs-interop';
import {
  type AbstractControl,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  type ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { blindMarkingFits } from '@rules';
import { Apollo } from 'apollo-angular';
import { firstValueFrom, map } from 'rxjs';
import { errorMessageKey } from '../../../core/graphql/errors';
import {
  CalendarYearsDocument,
  CreateExamDocument,
  type ExamFormat,
  ExamFormOptionsDocument,
  type ExamInput,
  type StaffExamDetailsFragment,
  type ResultsRelease,
  type TicketAssignment,
  UpdateExamDocument,
} from '../../../core/graphql/generated';
import { ServerClock } from '../../../core/graphql/server-clock';
import { I18n } from '../../../core/i18n/i18n';
import type { MessageKey } from '../../../core/i18n/kk';
import { dayIn } from '../../../shared/period-filter/period-filter';
import { instantAt, nextDay, normalTime, wallTime } from '../../../shared/zoned-time/zoned-time';
import { ChangeCancelled, ConfirmedChange } from '../confirmed-change/confirmed-change';
import { StudentPicker } from './student-picker';

const ASSIGNMENTS: readonly TicketAssignment[] = ['STUDENT_CHOICE', 'RANDOM', 'STAFF'];

type Sittings = StaffExamDetailsFragment['sittings'];

/** Enrolled students who have begun (entered, hold a ticket, answered, graded): the server will not drop them. */
export function studentsWithActivity(sittings: Sittings): Set<string> {
  return new Set(
    sittings.filter((s) => s.enteredAt || s.ticketNumber != null || s.answerStatus || s.grade).map((s) => s.student.id),
  );
}

/** A time of day typed in the 24-hour form (the university's clocks), e.g. 09:30. */
function timeOfDay(control: AbstractControl<string>): ValidationErrors | null {
  return normalTime(control.value) ? null : { timeOfDay: true };
}

/**
 * The start and end instants of what was typed; an end not after the start is read as the next day, so a typed exam
 * lasts at most a day, within the server's rule (examTimesProblem in @rules: at most MAX_EXAM_MS).
 */
export function examTimes(
  date: string,
  start: string,
  end: string,
  timeZone: string,
): { startsAt: number; endsAt: number; nextDay: boolean } {
  const startsAt = instantAt(date, normalTime(start) ?? '', timeZone);
  const sameDay = instantAt(date, normalTime(end) ?? '', timeZone);
  const next = !Number.isNaN(sameDay) && sameDay <= startsAt;
  return { startsAt, endsAt: next ? instantAt(nextDay(date), normalTime(end)!, timeZone) : sameDay, nextDay: next };
}

/** Creating and editing an exam: discipline, teacher, date and times, tickets or task, how tickets are given, who sits it. */
@Component({
  selector: 'app-exam-form',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatRadioModule,
    MatSelectModule,
    StudentPicker,
  ],
  templateUrl: './exam-form.html',
  styleUrl: './exam-form.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExamForm {
  private readonly apollo = inject(Apollo);
  private readonly clock = inject(ServerClock);
  private readonly changes = inject(ConfirmedChange);
  protected readonly i18n = inject(I18n);
  protected readonly assignments = ASSIGNMENTS;

  /** the exam being edited; none for a new one */
  readonly exam = input<StaffExamDetailsFragment | null>(null);
  /** the period a new exam goes into (from the list's filter) */
  readonly periodId = input<string>();
  readonly saved = output<string>();

  protected readonly options = rxResource({
    stream: () => this.apollo.query({ query: ExamFormOptionsDocument }).pipe(map((r) => r.data ?? null)),
  });
  protected readonly calendar = rxResource({
    stream: () => this.apollo.query({ query: CalendarYearsDocument }).pipe(map((r) => r.data?.academicYears ?? [])),
  });
  protected readonly disciplines = computed(() =>
    this.options.hasValue() ? (this.options.value()?.disciplines ?? []) : [],
  );
  protected readonly teachers = computed(() => (this.options.hasValue() ? (this.options.value()?.teachers ?? []) : []));
  protected readonly students = computed(() => (this.options.hasValue() ? (this.options.value()?.students ?? []) : []));
  protected readonly years = computed(() => (this.calendar.hasValue() ? this.calendar.value() : []));

  protected readonly form = inject(NonNullableFormBuilder).group({
    periodId: ['', Validators.required],
    disciplineId: ['', Validators.required],
    teacherId: ['', Validators.required],
    date: ['', [Validators.required, Validators.pattern(/^\d{4}-\d{2}-\d{2}$/)]],
    start: ['10:00', [Validators.required, timeOfDay]],
    end: ['12:00', [Validators.required, timeOfDay]],
    format: ['TICKETS' as ExamFormat],
    ticketAssignment: ['STUDENT_CHOICE' as TicketAssignment],
    taskText: [''],
    // issue 11: a new exam's box shows the server's AUTO_SEND_AT_END (examDefaults) until staff change it
    autoSendAtEnd: [true],
    // issue 12: results are announced together unless staff choose otherwise
    resultsRelease: ['ON_PUBLICATION' as ResultsRelease],
    // issue 12: the teacher grades under codes until the results are published
    blindMarking: [false],
  });
  protected readonly releases: readonly ResultsRelease[] = ['ON_PUBLICATION', 'AT_ONCE'];
  private readonly value = toSignal(this.form.valueChanges, { initialValue: this.form.getRawValue() });
  /** a release the blind marking box allows (the server refuses the others with BLIND_NEEDS_PUBLICATION) */
  protected readonly releaseAllowed = computed(() => {
    const blindMarking = !!this.value().blindMarking;
    return (r: ResultsRelease) => blindMarkingFits({ blindMarking, resultsRelease: r });
  });

  protected readonly enrolled = linkedSignal<ReadonlySet<string>>(
    () => new Set(this.exam()?.sittings.map((s) => s.student.id) ?? []),
  );
  protected readonly locked = computed(() => studentsWithActivity(this.exam()?.sittings ?? []));
  /** students hold tickets: the server no longer lets the format change */
  protected readonly formatLocked = computed(() => this.exam()?.sittings.some((s) => s.ticketNumber != null) ?? false);
  protected readonly times = computed(() => {
    const v = this.value();
    return examTimes(v.date ?? '', v.start ?? '', v.end ?? '', this.clock.timeZone());
  });
  /** the typed date in words ("2026 ж. 29 қараша"), whatever form the browser shows the date field in */
  protected readonly dateInWords = computed(() => {
    const at = instantAt(this.value().date ?? '', '12:00', this.clock.timeZone());
    return Number.isNaN(at) ? '' : this.i18n.date(at);
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<MessageKey | null>(null);

  constructor() {
    // the form follows the exam as the server has it, but never overwrites what staff are typing
    let filledFor: string | null | undefined;
    effect(() => {
      const exam = this.exam();
      const periodId = this.periodId();
      untracked(() => {
        if (filledFor === (exam?.id ?? null) && this.form.dirty) return;
        filledFor = exam?.id ?? null;
        this.fill(exam, periodId);
      });
    });
    // a new exam's box starts as the server's AUTO_SEND_AT_END, unless staff have ticked it already
    effect(() => {
      const defaults = this.options.hasValue() ? this.options.value()?.examDefaults : undefined;
      const control = this.form.controls.autoSendAtEnd;
      if (defaults && !this.exam() && !control.dirty) untracked(() => control.setValue(defaults.autoSendAtEnd));
    });
  }

  private fill(exam: StaffExamDetailsFragment | null, periodId: string | undefined): void {
    const zone = this.clock.timeZone();
    if (exam) {
      const start = wallTime(exam.startsAt, zone);
      this.form.reset({
        periodId: exam.period.id,
        disciplineId: exam.discipline.id,
        teacherId: exam.teacher.id,
        date: start.date,
        start: start.time,
        end: wallTime(exam.endsAt, zone).time,
        format: exam.format,
        ticketAssignment: exam.ticketAssignment ?? 'STUDENT_CHOICE',
        taskText: exam.task?.text ?? '',
        autoSendAtEnd: exam.autoSendAtEnd,
        resultsRelease: exam.resultsRelease,
        blindMarking: exam.blindMarking,
      });
    } else {
      this.form.reset({ ...this.form.getRawValue(), periodId: periodId ?? '', date: dayIn(zone, this.clock.now()) });
    }
  }

  protected periodLabel(n: number): string {
    return this.i18n.t('list.periodN', { n });
  }

  /** ticking blind marking moves the release to one it allows (results published together) */
  protected blindMarkingChanged(): void {
    const { blindMarking, resultsRelease } = this.form.getRawValue();
    if (!blindMarkingFits({ blindMarking, resultsRelease }))
      this.form.controls.resultsRelease.setValue('ON_PUBLICATION');
  }

  protected releaseLabel(r: ResultsRelease): string {
    return this.i18n.t(`pub.release.${r}`);
  }

  protected assignmentLabel(a: TicketAssignment): string {
    return this.i18n.t(`assignment.${a}`);
  }

  protected async save(): Promise<void> {
    if (this.form.invalid || this.busy()) {
      this.form.markAllAsTouched();
      return;
    }
    const v = this.form.getRawValue();
    const { startsAt, endsAt } = this.times();
    const input: ExamInput = {
      periodId: v.periodId,
      disciplineId: v.disciplineId,
      teacherId: v.teacherId,
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
      format: v.format,
      ticketAssignment: v.format === 'TICKETS' ? v.ticketAssignment : null,
      taskText: v.format === 'TASK' ? v.taskText : null,
      studentIds: [...this.enrolled()],
      autoSendAtEnd: v.autoSendAtEnd, // what the box shows (the server's default until changed) is what is saved
      resultsRelease: v.resultsRelease,
      blindMarking: v.blindMarking,
    };
    this.busy.set(true);
    this.error.set(null);
    try {
      const exam = this.exam();
      if (exam) {
        await this.changes.run((confirmStarted) =>
          firstValueFrom(
            this.apollo.mutate({ mutation: UpdateExamDocument, variables: { id: exam.id, input, confirmStarted } }),
          ),
        );
        this.saved.emit(exam.id);
      } else {
        const { data } = await firstValueFrom(
          this.apollo.mutate({ mutation: CreateExamDocument, variables: { input } }),
        );
        if (data) this.saved.emit(data.createExam.id);
      }
      this.form.markAsPristine();
    } catch (error) {
      if (!(error instanceof ChangeCancelled)) this.error.set(errorMessageKey(error));
    } finally {
      this.busy.set(false);
    }
  }
}
