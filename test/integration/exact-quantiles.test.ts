import { defineExactQuantilesSuite } from './exact-quantiles.suite.ts';

defineExactQuantilesSuite('dynalite', 30);
