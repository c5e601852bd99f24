import { defineConditionalStoreContract } from '#test/support/conditional-store-contract.ts';
import { MemoryConditionalStore } from '#test/support/memory-conditional-store.ts';

defineConditionalStoreContract('memory', async () => ({
  store: new MemoryConditionalStore(),
  stop: async () => {},
}));
