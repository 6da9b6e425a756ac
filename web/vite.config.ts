import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Built into the jar (target/classes/web); the server injects <base href> with its path prefix,
// so asset URLs are relative.
export default defineConfig({
  base: './',
  plugins: [react()],
  build: {
    outDir: '../target/classes/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: {
      '/api': { target: 'http://localhost:3000', ws: true },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
  },
});
