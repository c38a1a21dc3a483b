import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev`: Vite with hot reload, sending the graph's paths to the gateway (GATEWAY_URL, default :4000).
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';
const proxied = ['/graphql', '/app-config.json', '/integrations'];

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, proxy: Object.fromEntries(proxied.map((path) => [path, { target: gateway, changeOrigin: false }])) },
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 2000 },
});
