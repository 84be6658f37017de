import { defineConfig } from 'vite';
// Nothing Payform-specific is needed for a build; the dev server would need
// optimizeDeps: { exclude: ['payform'] } (its pre-bundling moves payform.js away from its files).
export default defineConfig({
  build: { outDir: 'dist', emptyOutDir: true, rollupOptions: { input: ['index.html', 'loader.html'] } },
});
