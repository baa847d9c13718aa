import 'reflect-metadata';

// specs start real servers and hash real passwords; the default 5 s is too tight on a loaded 2-core machine
jasmine.DEFAULT_TIMEOUT_INTERVAL = 30_000;
