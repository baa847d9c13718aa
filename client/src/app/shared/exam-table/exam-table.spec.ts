import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatTableModule } from '@angular/material/table';
import { provideRouter } from '@angular/router';
import { I18n } from '../../core/i18n/i18n';
import { ExamTable } from './exam-table';

@Component({
  imports: [ExamTable, MatTableModule],
  template: `
    <app-exam-table [rows]="rows()" [columns]="['discipline', 'teacher', 'seats']" link="/attestation" testId="exams">
      <ng-container matColumnDef="seats">
        <th mat-header-cell *matHeaderCellDef>Seats</th>
        <td mat-cell *matCellDef="let row" class="seats">{{ row.seats }}</td>
      </ng-container>
    </app-exam-table>
  `,
})
class Host {
  readonly rows = signal([
    {
      exam: {
        id: 'e1',
        discipline: { title: 'Деректер қорлары', code: 'CSE-301' },
        teacher: { fullName: 'Нұрлан Әбенов' },
      },
      seats: 30,
    },
  ]);
}

describe('the exam table', () => {
  it("shows the discipline linked to its exam, the teacher and the page's own columns", async () => {
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    TestBed.inject(I18n).setLang('kk');
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const link = el.querySelector<HTMLAnchorElement>('[data-testid=exams] a.discipline')!;
    expect(link.textContent).toContain('Деректер қорлары');
    expect(link.getAttribute('href')).toBe('/attestation/e1');
    expect(el.querySelector('.code')!.textContent).toBe('CSE-301');
    expect(el.querySelector('td.seats')!.textContent).toBe('30');
    expect(el.querySelectorAll('th').length).toBe(3);
    expect(el.querySelector('caption')!.textContent).toContain('Asia/Almaty');
  });

  it('names each cell for the stacked rows of a phone (below 600 px the header row is hidden)', async () => {
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    TestBed.inject(I18n).setLang('kk');
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('table')!.classList).toContain('stack-table');
    const teacher = el.querySelectorAll('td')[1];
    expect(teacher.textContent).toContain('Нұрлан Әбенов');
    expect(teacher.getAttribute('data-label')).toBe('Оқытушы');
  });
});
