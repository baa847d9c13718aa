import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatCardModule } from '@angular/material/card';
import { MatToolbarModule } from '@angular/material/toolbar';
import { RouterOutlet } from '@angular/router';
import { catchError, map, of } from 'rxjs';

interface GraphQLError {
  readonly message: string;
}

interface ServerTimeResponse {
  readonly data?: { readonly serverTime?: string } | null;
  readonly errors?: readonly GraphQLError[];
}

type ApiStatus =
  | { readonly state: 'checking' }
  | { readonly state: 'up'; readonly serverTime: string }
  | { readonly state: 'down'; readonly reason: string };

function fromResponse(response: ServerTimeResponse): ApiStatus {
  const serverTime = response.data?.serverTime;
  if (serverTime) return { state: 'up', serverTime };
  return { state: 'down', reason: response.errors?.[0]?.message ?? 'the answer has no serverTime' };
}

function fromFailure(failure: unknown): ApiStatus {
  if (!(failure instanceof HttpErrorResponse)) return { state: 'down', reason: String(failure) };
  // Status 0 means no HTTP answer at all: the server is stopped or unreachable.
  if (failure.status === 0) return { state: 'down', reason: 'the server did not answer' };
  // A 2xx that still failed is a body HttpClient could not parse, e.g. an HTML page.
  if (failure.status >= 200 && failure.status < 300) return { state: 'down', reason: 'the answer is not JSON' };
  // Apollo Server answers an invalid operation with 400 and a GraphQL error body.
  const body = failure.error as ServerTimeResponse | null;
  const graphQLMessage = body?.errors?.[0]?.message;
  const httpStatus = `HTTP ${failure.status}${failure.statusText ? ` ${failure.statusText}` : ''}`;
  return { state: 'down', reason: graphQLMessage ? `${httpStatus}: ${graphQLMessage}` : httpStatus };
}

/** The shell: toolbar, a one-shot API check, and the outlet where feature routes will render. */
@Component({
  selector: 'app-root',
  imports: [MatCardModule, MatToolbarModule, RouterOutlet],
  templateUrl: './app.html',
  styleUrl: './app.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  private readonly http = inject(HttpClient);

  protected readonly apiStatus = toSignal(
    this.http.post<ServerTimeResponse>('/graphql', { query: '{ serverTime }' }).pipe(
      map(fromResponse),
      catchError((failure: unknown) => of(fromFailure(failure))),
    ),
    { initialValue: { state: 'checking' } as ApiStatus },
  );
}
