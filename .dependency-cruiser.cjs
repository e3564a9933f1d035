/**
 * Dependencies point one way (issue 13): `npm run lint:deps`, run by .ci/run, fails on any
 * import cycle in src/. Type-only imports count too (tsPreCompilationDeps): a type that
 * closes a circle still ties the two sides together. It also fails when src/vici imports
 * from a layer above it.
 */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment:
        "An import cycle hides which way a dependency points: cut it (a narrow interface, a plain read model, a file of its own).",
      from: { path: "^src" },
      to: { circular: true },
    },
    {
      name: "services-below-graphql",
      severity: "error",
      comment: "Services take and return plain TypeScript types; resolvers map GraphQL args and types to them.",
      from: { path: "^src/services" },
      to: { path: "^src/(schema|resolvers)/" },
    },
    {
      name: "vici-depends-on-nothing-above",
      severity: "error",
      comment:
        "src/vici (VICIdial's tables, API, rules) sits below the services: it may use util, errors, config and data sources, never services, schema, resolvers or jobs. Move the VICIdial knowledge into src/vici, or take a plain parameter type of its own.",
      from: { path: "^src/vici/" },
      to: { path: "^src/(services|schema|resolvers|jobs)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
