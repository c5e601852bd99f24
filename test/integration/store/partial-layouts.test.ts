import { definePartialLayoutsSuite } from './partial-layouts.suite.ts';

definePartialLayoutsSuite('dynalite');
