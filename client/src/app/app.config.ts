import { provideHttpClient, withFetch } from '@angular/common/http';
import { type ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { routes } from './app.routes';
import { provideGraphql } from './core/graphql/apollo';
import { provideIcons } from './core/layout/icons';

// Zoneless change detection is Angular 21's default, so there is no zone provider here.
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes, withComponentInputBinding()),
    provideHttpClient(withFetch()),
    provideGraphql(),
    provideIcons(),
  ],
};
