/** The two indicator views and how to present them. */
export interface Indicator {
  view: 'indicator_4_8' | 'indicator_4_11a';
  title: { en: string; km: string };
  bySource: boolean;
}

export const INDICATORS: readonly Indicator[] = [
  {
    view: 'indicator_4_8',
    title: {
      en: '4.8 Children provided with family reunification or kinship, or community-based care placements',
      km: '៤.៨ កុមារដែលទទួលបានការបង្រួបបង្រួមគ្រួសារ ឬការថែទាំដោយសាច់ញាតិ ឬការថែទាំផ្អែកលើសហគមន៍',
    },
    bySource: false,
  },
  {
    view: 'indicator_4_11a',
    title: { en: '4.11a Children receiving case management support', km: '៤.១១ក កុមារដែលទទួលបានការគាំទ្រការគ្រប់គ្រងករណី' },
    bySource: true,
  },
];
