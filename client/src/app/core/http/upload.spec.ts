import { HttpEventType, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Session } from '../auth/session';
import { CodedError } from '../graphql/errors';
import { authInterceptor } from './auth-interceptor';
import { FileUploads } from './upload';

describe('file uploads', () => {
  let http: HttpTestingController;
  let uploads: FileUploads;
  const token = signal<string | null>('token-1');
  const file = new File(['hello'], 'answer.pdf', { type: 'application/pdf' });
  const stored = { id: 'f1', name: 'answer.pdf', size: 5, contentType: 'application/pdf', url: '/files/f1?sig=x' };

  beforeEach(() => {
    token.set('token-1');
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        { provide: Session, useValue: { token } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    uploads = TestBed.inject(FileUploads);
  });

  afterEach(() => http.verify());

  it("posts the file with the session's token, reports progress and resolves with the stored files", async () => {
    const progress: number[] = [];
    const done = uploads.upload('/files/answers/exam-1', [file], (p) => progress.push(p));
    const request = http.expectOne('/files/answers/exam-1');
    expect(request.request.method).toBe('POST');
    expect(request.request.headers.get('Authorization')).toBe('Bearer token-1');
    expect((request.request.body as FormData).getAll('file').length).toBe(1);
    request.event({ type: HttpEventType.UploadProgress, loaded: 2, total: 5 });
    request.flush(JSON.stringify({ files: [stored] }), { status: 201, statusText: 'Created' });
    expect(await done).toEqual([stored]);
    expect(progress).toEqual([40, 100]);
  });

  it('sends no token when signed out', async () => {
    token.set(null);
    const done = uploads.upload('/files/answers/exam-1', [file]);
    const request = http.expectOne('/files/answers/exam-1');
    expect(request.request.headers.has('Authorization')).toBeFalse();
    request.flush(JSON.stringify({ files: [stored] }), { status: 201, statusText: 'Created' });
    await done;
  });

  it("rejects with the server's code, a proxy's bare 413 as FILE_TOO_LARGE, and a lost request as NETWORK", async () => {
    const refused = (flush: (r: ReturnType<HttpTestingController['expectOne']>) => void) => {
      const done = uploads.upload('/files/answers/exam-1', [file]).then(
        () => null,
        (e: CodedError) => e.code,
      );
      flush(http.expectOne('/files/answers/exam-1'));
      return done;
    };
    expect(
      await refused((r) =>
        r.flush(JSON.stringify({ error: { code: 'EXAM_ENDED' } }), { status: 409, statusText: 'Conflict' }),
      ),
    ).toBe('EXAM_ENDED');
    expect(await refused((r) => r.flush('<html>too large</html>', { status: 413, statusText: 'Too Large' }))).toBe(
      'FILE_TOO_LARGE',
    );
    expect(await refused((r) => r.error(new ProgressEvent('error'), { status: 0 }))).toBe('NETWORK');
  });
});
