import { defineExactQuantilesSuite } from './exact-quantiles.suite.ts';

// A fixed number of random surveys in `npm test`; `npm run test:exact` draws more.
defineExactQuantilesSuite('dynalite', Number(process.env.EXACT_PROPERTY_RUNS ?? 25));
