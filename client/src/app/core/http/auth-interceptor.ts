import type { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Session } from '../auth/session';

/**
 * The one place the login token goes on the wire over HTTP: GraphQL (Apollo's HttpLink runs on HttpClient) and file
 * uploads alike. Only requests to this origin (relative URLs) carry it; the WebSocket sends it in connection_init.
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  const token = inject(Session).token();
  if (!token || !request.url.startsWith('/') || request.url.startsWith('//') || request.headers.has('Authorization'))
    return next(request);
  return next(request.clone({ setHeaders: { Authorization: `Bearer ${token}` } }));
};
