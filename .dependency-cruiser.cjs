/**
 * `npm run check:deps`: the import graph of the server and the web app has no circles (issue 14).
 * Type-only imports count too: a circle of types is still a circle a reader must untangle.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'This import closes a circle; move the shared piece down (a policy, a type, a rule) so the arrows run one way.',
      from: { pathNot: '[.]entity[.]ts$' },
      to: { circular: true },
    },
    {
      // The one kind of circle allowed: entities that reference each other through MikroORM's two-sided relations
      // (Exam.sittings / Sitting.exam, Sitting.answer / Answer.sitting …): the ORM needs both sides. A circle through
      // any other file is reported by the rule above, from that file.
      name: 'no-circular-entities-outside',
      severity: 'error',
      comment: 'An entity imports a non-entity that leads back to it: entities import only entities and enums.',
      from: { path: '[.]entity[.]ts$' },
      to: { circular: true, pathNot: '[.]entity[.]ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
  },
};
