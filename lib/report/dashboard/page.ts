import { readFile } from 'node:fs/promises';
import type { Lang } from '../labels.ts';
import type { DashboardModel } from '../model.ts';
import { ASSETS, fontFaces } from './assets.ts';

/** The live page: scripts, style and fonts from this server; the figures from /api/model. */
export function livePage(lang: Lang): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Indicators 4.8 and 4.11a</title>
<link rel="icon" href="data:,">
<style>${fontFaces((name) => `/assets/${name}`)}</style>
<link rel="stylesheet" href="/assets/style.css">
<script src="/assets/echarts.min.js"></script>
<script src="/assets/app.js" defer></script>
</head>
<body><div id="app"></div></body>
</html>
`;
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const scriptText = (text: string) => text.replace(/<\/(script)/gi, '<\\/$1');

/**
 * One self-contained file: the model, ECharts, the page script, style and the
 * Khmer font inline. Its Content-Security-Policy forbids every request, so it
 * renders the same offline as online.
 */
export async function selfContainedPage(model: DashboardModel, lang: Lang): Promise<string> {
  const read = (name: string) => readFile(ASSETS[name]!.file);
  const [app, style, echarts, f400, f700] = await Promise.all(['app.js', 'style.css', 'echarts.min.js', 'noto-sans-khmer-400.woff2', 'noto-sans-khmer-700.woff2'].map(read));
  const fonts: Record<string, Buffer> = { 'noto-sans-khmer-400.woff2': f400!, 'noto-sans-khmer-700.woff2': f700! };
  const faces = fontFaces((name) => `data:font/woff2;base64,${fonts[name]!.toString('base64')}`);
  const csp = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; font-src data:; img-src data:";
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Indicators 4.8 and 4.11a — ${model.quarter}</title>
<link rel="icon" href="data:,">
<style>${faces}\n${style!.toString('utf8')}</style>
<script>${scriptText(echarts!.toString('utf8'))}</script>
</head>
<body><div id="app"></div>
<script type="application/json" id="model-data">${scriptJson(model)}</script>
<script>${scriptText(app!.toString('utf8'))}</script>
</body>
</html>
`;
}
