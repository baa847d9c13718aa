import { getTestBed } from '@angular/core/testing';
import { BrowserTestingModule, platformBrowserTesting } from '@angular/platform-browser/testing';

// What Angular's Karma builder did for us: a zoneless test bed that fails on unknown elements and properties.
getTestBed().initTestEnvironment(BrowserTestingModule, platformBrowserTesting(), {
  errorOnUnknownElements: true,
  errorOnUnknownProperties: true,
});
jasmine.DEFAULT_TIMEOUT_INTERVAL = 10_000;
