import { defineConfig } from "vite";

// Built files are served by Tauri from ui/dist; nothing is fetched from the network.
export default defineConfig({
  clearScreen: false,
  build: { target: "es2021", outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  test: { environment: "jsdom" },
});
