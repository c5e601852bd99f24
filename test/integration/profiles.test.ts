import { defineProfilesSuite } from './profiles.suite.ts';

defineProfilesSuite('dynalite');
