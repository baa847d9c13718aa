import { HttpErrorResponse } from '@angular/common/http';
import { CombinedGraphQLErrors, UnconventionalError } from '@apollo/client';
import { CodedError, errorCode } from './errors';

describe('errorCode', () => {
  it("names the server's refusal by its code", () => {
    const refusal = new CombinedGraphQLErrors({ errors: [{ message: 'ended', extensions: { code: 'EXAM_ENDED' } }] });
    expect(errorCode(refusal)).toBe('EXAM_ENDED');
    expect(errorCode(new CodedError('FILE_TOO_LARGE'))).toBe('FILE_TOO_LARGE');
  });

  it('calls a request that reached no server NETWORK, also when Apollo wrapped it', () => {
    const unreachable = new HttpErrorResponse({ status: 0, statusText: 'Unknown Error' });
    expect(errorCode(unreachable)).toBe('NETWORK');
    expect(errorCode(new UnconventionalError(unreachable))).toBe('NETWORK');
    expect(errorCode(new TypeError('Failed to fetch'))).toBe('NETWORK');
  });

  it('says NETWORK, not a server error, for whatever fails while the browser is offline', () => {
    spyOnProperty(navigator, 'onLine').and.returnValue(false);
    expect(errorCode(new Error('something odd'))).toBe('NETWORK');
    expect(errorCode(new HttpErrorResponse({ status: 500 }))).toBe('NETWORK');
    // a refusal made in the browser itself keeps its own reason
    expect(errorCode(new CodedError('EMPTY_FILE'))).toBe('EMPTY_FILE');
  });

  it('calls anything else unnamed an internal server error', () => {
    expect(errorCode(new Error('something odd'))).toBe('INTERNAL_SERVER_ERROR');
    expect(errorCode(new HttpErrorResponse({ status: 500 }))).toBe('INTERNAL_SERVER_ERROR');
  });
});
