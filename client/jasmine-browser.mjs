// jasmine-browser-runner: the component specs as one bundle that Angular's esbuild builder made (scripts/test-client.mjs
// writes it to dist/client-specs). `npx jasmine-browser-runner serve --config=client/jasmine-browser.mjs` serves the
// last bundle for a browser of your own at http://localhost:8888.
export default {
  srcDir: 'dist/client-specs',
  srcFiles: ['polyfills.js'], // first: with aot off it carries Angular's JIT compiler
  cssFiles: ['styles.css'],
  specDir: 'dist/client-specs',
  specFiles: ['main.js'], // loads its chunk-*.js itself
  helpers: [],
  esmFilenameExtension: '.js',
  env: { random: true, stopSpecOnExpectationFailure: false, stopOnSpecFailure: false },
  listenAddress: 'localhost',
  hostname: 'localhost',
  browser: { name: 'headlessChrome' },
};
