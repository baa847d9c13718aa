import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { ScheduleColumn, ScheduleProblemCode } from '@rules';
import { firstValueFrom } from 'rxjs';

/** One problem of one row, as the server names it (README "Importing a schedule"). */
export interface ScheduleProblem {
  readonly row: number;
  readonly column: ScheduleColumn | null;
  readonly code: ScheduleProblemCode;
  readonly params: readonly { readonly name: string; readonly value: string }[];
  readonly message: string;
}

export interface ScheduleRowResult {
  readonly row: number;
  readonly outcome: 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'PROBLEM';
  readonly examId: string | null;
  readonly discipline: string | null;
  readonly teacher: string | null;
  readonly date: string | null;
  readonly start: string | null;
}

export interface ScheduleReport {
  readonly dryRun: boolean;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly rows: readonly ScheduleRowResult[];
  readonly problems: readonly ScheduleProblem[];
}

/** A refusal of the whole file: its code, and for IMPORT_FILE_INVALID the reason and what fills its sentence. */
export class ScheduleRefusal extends Error {
  constructor(
    readonly code: string,
    readonly reason: string | null,
    readonly params: Readonly<Record<string, string | number>>,
    readonly problems: readonly ScheduleProblem[],
  ) {
    super(code);
  }
}

interface Refused {
  readonly error?: {
    readonly code?: string;
    readonly reason?: string;
    readonly params?: Record<string, string | number>;
    readonly problems?: ScheduleProblem[];
  };
}

function refusalOf(error: unknown): ScheduleRefusal {
  if (!(error instanceof HttpErrorResponse)) return new ScheduleRefusal('INTERNAL_SERVER_ERROR', null, {}, []);
  if (error.status === 0) return new ScheduleRefusal('NETWORK', null, {}, []);
  let body: Refused | null;
  try {
    body = typeof error.error === 'string' ? (JSON.parse(error.error) as Refused) : (error.error as Refused);
  } catch {
    body = null; // a proxy's page
  }
  const code = body?.error?.code ?? (error.status === 413 ? 'IMPORT_FILE_INVALID' : 'INTERNAL_SERVER_ERROR');
  const reason = body?.error?.reason ?? (error.status === 413 ? 'TOO_LARGE' : null);
  return new ScheduleRefusal(code, reason, body?.error?.params ?? {}, body?.error?.problems ?? []);
}

/** POST /files/schedule-import: a dry run, or (dryRun false) the import; the auth interceptor adds the token. */
@Injectable({ providedIn: 'root' })
export class ScheduleImportApi {
  private readonly http = inject(HttpClient);

  /** Rejects with a ScheduleRefusal. */
  async send(file: File, dryRun: boolean): Promise<ScheduleReport> {
    const form = new FormData();
    form.append('file', file, file.name);
    try {
      return await firstValueFrom(
        this.http.post<ScheduleReport>(`/files/schedule-import?dryRun=${dryRun ? 'true' : 'false'}`, form),
      );
    } catch (error) {
      throw refusalOf(error);
    }
  }
}
