import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA } from '@angular/material/dialog';
import { Apollo } from 'apollo-angular';
import { of } from 'rxjs';
import { ServerClock } from '../../../core/graphql/server-clock';
import { I18n } from '../../../core/i18n/i18n';
import { CSV_DIALECTS, instant, toCsv } from '../../../shared/csv/csv';
import { settle, waitUntil } from '../../../../testing/fakes';
import { AuditTrail, eventDetail, trailExport } from './audit-trail';

describe('the audit trail', () => {
  let i18n: I18n;

  beforeEach(() => {
    i18n = TestBed.inject(I18n);
    TestBed.inject(ServerClock).timeZone.set('Asia/Almaty');
    i18n.setLang('kk');
  });

  it("shows the server's known details in the page's language and anything else as it is", async () => {
    expect(eventDetail(i18n, 'exam page opened')).toBe('емтихан беті ашылды');
    expect(eventDetail(i18n, 'ticket 7')).toBe('№ 7');
    expect(eventDetail(i18n, '120 characters, 2 file(s)')).toBe('120 белгі, 2 файл');
    expect(eventDetail(i18n, 'until 2026-11-29T09:15:00.000Z')).toBe('29.11.2026, 14:15:00 дейін');
    expect(eventDetail(i18n, 'schema.sql')).toBe('schema.sql');
    expect(eventDetail(i18n, null)).toBe('');
    await i18n.setLang('ru');
    expect(eventDetail(i18n, 'drawn at random')).toBe('выдан случайно');
    expect(eventDetail(i18n, 'private draft')).toBe('черновик: что в нём было, видит только студент');
    await i18n.setLang('kk');
    expect(eventDetail(i18n, 'private draft')).toBe('жауаптың жобасы: ішінде не болғанын тек студент көреді');
  });

  it('exports one line per event with the local time (its zone named) and the instant in UTC', () => {
    const trail = trailExport(i18n, 'Asia/Almaty', 'trail', [
      {
        id: 's1',
        student: { id: 'u1', login: 'student21', fullName: 'Әлия Нұрланқызы' },
        events: [
          {
            id: 'e1',
            kind: 'ENTERED',
            at: '2026-11-29T06:00:00.000Z',
            detail: 'exam page opened',
            actor: { id: 'u1', fullName: 'Әлия Нұрланқызы' },
          },
          {
            id: 'e2',
            kind: 'QUESTIONS_RELEASED',
            at: '2026-11-29T06:05:00.000Z',
            detail: null,
            actor: { id: 'st', fullName: 'Айгүл Серікова' },
          },
        ],
      },
    ]);
    expect(trail.columns.map((c) => c.header)).toEqual([
      'Білім алушы',
      'Логин',
      'Уақыты (Asia/Almaty)',
      'Дүниежүзілік уақыт',
      'Әрекет',
      'Кім',
      'Толығырақ',
    ]);
    expect(trail.rows[1]).toEqual([
      'Әлия Нұрланқызы',
      'student21',
      instant('2026-11-29T06:05:00.000Z'),
      '2026-11-29T06:05:00.000Z',
      'Сұрақтар жіберілді',
      'Айгүл Серікова',
      '',
    ]);
    expect(toCsv(trail, CSV_DIALECTS.kk).split('\r\n')[2]).toBe(
      'Әлия Нұрланқызы;student21;29.11.2026 11:05:00;2026-11-29T06:05:00.000Z;Сұрақтар жіберілді;Айгүл Серікова;',
    );
  });
});

describe('the audit trail dialog', () => {
  const sittings = [
    {
      id: 's1',
      student: { id: 'u1', login: 'student21', fullName: 'Әлия Нұрланқызы' },
      events: [
        { id: 'e1', kind: 'ENTERED', at: '2026-11-29T06:00:00.000Z', detail: null, actor: null },
        {
          id: 'e2',
          kind: 'ANSWER_SUBMITTED',
          at: '2026-11-29T07:30:15.250Z',
          detail: '120 characters, 2 file(s)',
          actor: { id: 'u1', fullName: 'Әлия Нұрланқызы' },
        },
      ],
    },
  ];
  let saved: { name: string; blob: Blob }[];
  let i18n: I18n;
  let asked: Record<string, unknown>[];

  beforeEach(async () => {
    saved = [];
    asked = [];
    let blob: Blob | null = null;
    spyOn(URL, 'createObjectURL').and.callFake((made) => {
      blob = made as Blob;
      return 'blob:x';
    });
    spyOn(HTMLAnchorElement.prototype, 'click').and.callFake(function (this: HTMLAnchorElement) {
      saved.push({ name: this.download, blob: blob! });
    });
    TestBed.configureTestingModule({
      providers: [
        {
          provide: Apollo,
          useValue: {
            query: (options: { variables: Record<string, unknown> }) => {
              asked.push(options.variables);
              const kinds = options.variables['kinds'] as string[] | null;
              const nodes = sittings[0].events
                .filter((e) => !kinds || kinds.includes(e.kind))
                .map((e) => ({ ...e, student: sittings[0].student }));
              return of({
                data: {
                  auditTrailConnection: {
                    totalCount: nodes.length,
                    pageInfo: { endCursor: 'end', hasNextPage: false },
                    nodes,
                  },
                },
              });
            },
          },
        },
        {
          provide: MAT_DIALOG_DATA,
          useValue: { examId: 'x1', sittingId: 's1', studentName: 'Әлия Нұрланқызы', examTitle: 'Деректер қорлары' },
        },
      ],
    });
    TestBed.inject(ServerClock).timeZone.set('Asia/Almaty');
    i18n = TestBed.inject(I18n);
    i18n.setLang('kk');
  });

  afterEach(async () => await i18n.setLang('kk'));

  async function open() {
    const fixture = TestBed.createComponent(AuditTrail);
    await fixture.whenStable();
    await settle();
    fixture.detectChanges();
    const button = (id: string) => fixture.nativeElement.querySelector(`[data-testid=${id}]`) as HTMLButtonElement;
    return { fixture, button };
  }

  it('offers CSV and XLSX side by side, labelled in the language', async () => {
    const { fixture, button } = await open();
    expect(button('trail-export').textContent?.trim()).toBe('CSV форматында жүктеп алу');
    expect(button('trail-export-xlsx').textContent?.trim()).toBe('XLSX форматында жүктеп алу');
    await i18n.setLang('ru');
    fixture.detectChanges();
    expect(button('trail-export-xlsx').textContent?.trim()).toBe('Скачать в формате XLSX');
    await i18n.setLang('en');
    fixture.detectChanges();
    expect(button('trail-export-xlsx').textContent?.trim()).toBe('Download as XLSX');
  });

  it("saves the CSV in the language's dialect: `;` in Kazakh, `,` in English", async () => {
    const { fixture, button } = await open();
    button('trail-export').click();
    await waitUntil(() => saved.length === 1); // every page read first
    expect(saved[0].name).toBe('Әрекеттер тарихы Деректер қорлары student21.csv');
    const bom = new Uint8Array(await saved[0].blob.arrayBuffer()).slice(0, 3);
    expect(Array.from(bom)).toEqual([0xef, 0xbb, 0xbf]); // text() below reads past it, as Excel does
    const kk = (await saved[0].blob.text()).split('\r\n');
    expect(kk[0]).toBe('Білім алушы;Логин;Уақыты (Asia/Almaty);Дүниежүзілік уақыт;Әрекет;Кім;Толығырақ');
    expect(kk[2]).toBe(
      'Әлия Нұрланқызы;student21;29.11.2026 12:30:15;2026-11-29T07:30:15.250Z;Жауап жіберілді;Әлия Нұрланқызы;120 белгі, 2 файл',
    );
    await i18n.setLang('en');
    fixture.detectChanges();
    button('trail-export').click();
    await waitUntil(() => saved.length === 2);
    const en = (await saved[1].blob.text()).split('\r\n');
    expect(en[0]).toBe('Student,Login,Time (Asia/Almaty),Time (UTC),Event,By,Detail');
    expect(en[2]).toMatch(
      /^Әлия Нұрланқызы,student21,2026-11-29 12:30:15,2026-11-29T07:30:15.250Z,.+,"120 characters, 2 files"$/,
    );
  });

  it('saves the XLSX once the library has loaded, the button busy meanwhile', async () => {
    const { fixture, button } = await open();
    button('trail-export-xlsx').click();
    fixture.detectChanges();
    expect(button('trail-export-xlsx').disabled).toBeTrue();
    expect(button('trail-export-xlsx').textContent?.trim()).toBe('Файл дайындалуда (XLSX)…');
    await waitUntil(() => saved.length === 1, 10_000);
    fixture.detectChanges();
    expect(saved[0].name).toBe('Әрекеттер тарихы Деректер қорлары student21.xlsx');
    expect(saved[0].blob.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const bytes = new Uint8Array(await saved[0].blob.arrayBuffer());
    expect(String.fromCharCode(bytes[0], bytes[1])).toBe('PK');
    expect(button('trail-export-xlsx').disabled).toBeFalse();
    expect(fixture.nativeElement.querySelector('[data-testid=export-failed]')).toBeNull();
  });

  it("reads the sitting's trail a page at a time from the server, and again for one kind", async () => {
    const { fixture } = await open();
    expect(asked[0]).toEqual({ examId: 'x1', sittingId: 's1', kinds: null, first: 50, after: null });
    const rows = () => [...fixture.nativeElement.querySelectorAll('[data-testid=trail] tbody tr')];
    expect(rows().length).toBe(2);
    (fixture.componentInstance as unknown as { kind: { set(k: string): void } }).kind.set('ANSWER_SUBMITTED');
    await waitUntil(() => asked.length === 2);
    await fixture.whenStable();
    fixture.detectChanges();
    expect(asked[1]['kinds']).toEqual(['ANSWER_SUBMITTED']);
    expect(rows().map((r) => r.getAttribute('data-kind'))).toEqual(['ANSWER_SUBMITTED']);
  });
});
