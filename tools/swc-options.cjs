'use strict';
// The one SWC configuration for running TypeScript without tsc (Jest and tools/register.cjs):
// legacy decorators with metadata, as NestJS's dependency injection needs, compiled to CommonJS.
module.exports = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
