import { defineConfig, type Plugin } from "vite";

// The page may load only its own files; WebAssembly needs 'wasm-unsafe-eval' (never 'unsafe-eval').
// CodeMirror sets inline style attributes, hence style-src 'unsafe-inline'.
export const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

// Only in the built site: the dev server needs its websocket and inline HMR helpers.
function csp(): Plugin {
  return {
    name: "multirun-csp",
    apply: "build",
    transformIndexHtml: {
      order: "pre",
      handler: (html) => html.replace("<!--CSP-->", `<meta http-equiv="Content-Security-Policy" content="${CSP}">`),
    },
  };
}

export default defineConfig({
  // Relative asset URLs: the built site works from any path (a subfolder, file server, Pages).
  base: "./",
  plugins: [csp()],
  worker: { format: "es" },
  build: { target: "es2022", assetsInlineLimit: 0, chunkSizeWarningLimit: 2000 },
  server: { fs: { allow: [".."] } },
});
