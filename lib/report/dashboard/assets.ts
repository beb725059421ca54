import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The files the page needs, all from this package and its dependencies: the
 * page's own script and style, Apache ECharts (the line/bar build) and the
 * Noto Sans Khmer font from @fontsource. Nothing is fetched from elsewhere.
 */
const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

export interface Asset {
  file: string;
  type: string;
}

export const ASSETS: Record<string, Asset> = {
  'app.js': { file: path.join(here, 'page/app.js'), type: 'text/javascript; charset=utf-8' },
  'style.css': { file: path.join(here, 'page/style.css'), type: 'text/css; charset=utf-8' },
  'echarts.min.js': { file: require.resolve('echarts/dist/echarts.common.min.js'), type: 'text/javascript; charset=utf-8' },
  'noto-sans-khmer-400.woff2': { file: require.resolve('@fontsource/noto-sans-khmer/files/noto-sans-khmer-khmer-400-normal.woff2'), type: 'font/woff2' },
  'noto-sans-khmer-700.woff2': { file: require.resolve('@fontsource/noto-sans-khmer/files/noto-sans-khmer-khmer-700-normal.woff2'), type: 'font/woff2' },
};

/** @font-face rules; `url` turns an asset name into where the page finds it. */
export function fontFaces(url: (name: string) => string): string {
  return [400, 700]
    .map(
      (weight) =>
        `@font-face { font-family: 'Noto Sans Khmer'; font-style: normal; font-weight: ${weight}; font-display: swap; src: url(${url(`noto-sans-khmer-${weight}.woff2`)}) format('woff2'); unicode-range: U+1780-17FF, U+19E0-19FF, U+200C-200D, U+25CC; }`,
    )
    .join('\n');
}
